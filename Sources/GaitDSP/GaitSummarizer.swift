#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the engine's step candidates and window records into the final analysis: resolves the
/// forward sign and the sides session-wide, forms bouts, and computes the summaries.
enum GaitSummarizer {
    /// Pauses up to this long between two bouts of the same gait stay inside the bout (traffic
    /// lights, a shoelace), seconds; the bout records how long it was paused.
    static let tolerablePauseS: Double = 120

    static func summarize(
        analyzer: WindowAnalyzer, input: InputDescription, sampleRateHz: Double,
        processingRateHz: Double, durationS: Double
    ) -> GaitAnalysis {
        var input = input
        let (sign, signConfidence) = forwardSign(analyzer)
        let posture = postureReference(analyzer)
        var steps = analyzer.steps.map { resolve($0, sign: sign, posture: posture) }
        assignStepTimes(&steps, candidates: analyzer.steps)
        assignSides(&steps, candidates: analyzer.steps, sign: sign, signConfidence: signConfidence, gyroscope: input.hasGyroscope)
        if steps.isEmpty { input.warnings.append("no walking or running steps were found") }

        var activityTime: [String: Double] = [:]
        for w in analyzer.windows { activityTime[w.kind.rawValue, default: 0] += w.endS - w.startS }

        let runningCount = steps.filter { $0.activity == .running }.count
        let walkingCount = steps.filter { $0.activity == .walking }.count
        let primary: ActivityKind? = runningCount >= 20 || (runningCount > 0 && runningCount >= walkingCount)
            ? .running : (walkingCount > 0 ? .walking : nil)
        let primarySteps = primary.map { kind in steps.filter { $0.activity == kind } } ?? []
        let primaryWindows = analyzer.windows.filter { $0.kind == primary }
        let metrics = primarySteps.isEmpty ? nil : metricsSummary(primarySteps, windows: primaryWindows, withDrift: true)
        let bouts = makeBouts(windows: analyzer.windows, steps: steps,
                              primary: primary.map { ($0, primarySteps.count, metrics) },
                              walkingBreakS: analyzer.configuration.walking.maximumBreakInBoutS)
        let confident = primarySteps.isEmpty ? nil
            : Float(primarySteps.filter { $0.side != nil && $0.sideConfidence >= confidentSideLevel }.count) / Float(primarySteps.count)
        let summary = SessionSummary(
            primaryActivity: primary, activityTimeS: activityTime, stepCount: primarySteps.count, metrics: metrics,
            postureReference: analyzer.sawGait ? (analyzer.postureReferenceIsStanding ? "standing" : "early_gait") : nil,
            confidentSideShare: confident, cadenceTrend: cadenceTrend(primarySteps), mountUpAxis: mountUp(primaryWindows),
            uncertainties: uncertainties(primary: primary, steps: primarySteps, confidentSideShare: confident, gyroscope: input.hasGyroscope))
        return GaitAnalysis(
            input: input, sampleRateHz: sampleRateHz, processingRateHz: processingRateHz, durationS: durationS,
            bouts: bouts, steps: steps, summary: summary)
    }

    /// The sign of the raw forward axis (+1: it points forwards) and how sure it is, 0–1.
    ///
    /// Which way is forward decides which side is left (ML = AP × V), so a wrong sign mirrors a
    /// whole run. The sign comes from braking across contact (the AP acceleration drops as the
    /// foot lands), as the side rule was set with it (walking, `SampleData/real`). Running has a
    /// second, independent sign: over the stance the pelvis first brakes and is then propelled,
    /// so along the true forward axis the AP acceleration rises through the stance; unlike the
    /// drop at contact it is blind to the vertical force leaking into AP when the pelvis pitches.
    /// The confidence is the braking evidence's consistency over the steps (|Σ e| / Σ |e|, full
    /// from 0.6), down to half when the stance evidence points the other way (fully at a consistency of 0.3). On the real treadmill
    /// running of `SampleData/realrun` the two disagree on every trial: there the sides are given
    /// without full confidence, as they must be (the sacral ML sign then rests on one cue only).
    static func forwardSign(_ analyzer: WindowAnalyzer) -> (sign: Float, confidence: Float) {
        let braking = analyzer.brakingVoteAbs > 0 ? -analyzer.brakingVote / analyzer.brakingVoteAbs : 0
        let propulsion = analyzer.propulsionVoteAbs > 0 ? analyzer.propulsionVote / analyzer.propulsionVoteAbs : 0
        var confidence = min(1, abs(braking) / 0.6)
        if braking * propulsion < 0 { confidence *= 1 - 0.5 * min(1, abs(propulsion) / 0.3) }
        return (braking >= 0 ? 1 : -1, confidence)
    }

    /// What the recording cannot tell with confidence, in plain words (nil when nothing).
    static func uncertainties(primary: ActivityKind?, steps: [GaitStep], confidentSideShare: Float?, gyroscope: Bool) -> [String]? {
        guard let primary, !steps.isEmpty else { return nil }
        var notes: [String] = []
        if steps.count < 20 {
            notes.append("Only \(steps.count) \(primary.rawValue) steps were found: too few for steady medians or a left/right comparison.")
        }
        if let share = confidentSideShare, share < confidentSideShareToName {
            var note = String(format: "Which foot is which is uncertain (a confident side for %.0f %% of the steps): left and right values are shown, but no side is named as higher.", share * 100)
            if primary == .running, !gyroscope {
                note += " Without a gyroscope the pelvis's roll cannot be taken out of a running step's sway."
            }
            notes.append(note)
        }
        if primary == .running {
            let measured = steps.filter { $0.groundContactTimeS != nil }.count
            if measured * 2 < steps.count {
                notes.append("Contact time was measured for only \(measured) of \(steps.count) steps (flight phases too short or unclear).")
            } else {
                if let quality = median(steps.compactMap(\.contactTimeQuality)), quality < 0.5 {
                    notes.append(String(format: "Contact times are uncertain: the flight-bound and spring-mass estimates disagree more than usual (median quality %.2f of 1).", quality))
                }
                let range = WindowAnalyzer.loadedLevelCalibratedRangeS
                if let typical = median(steps.compactMap(\.groundContactTimeS)), !range.contains(typical) {
                    notes.append(String(format: "The median contact time, %.0f ms, is outside the %.0f–%.0f ms over which contact time was calibrated against a force plate: it is extrapolated, and may be off by more than the validated error.",
                                        typical * 1000, range.lowerBound * 1000, range.upperBound * 1000))
                }
            }
        }
        return notes.isEmpty ? nil : notes
    }

    /// The component-wise median of the windows' gravity directions, normalised.
    static func mountUp(_ windows: [WindowRecord]) -> [Float]? {
        let ups = windows.compactMap(\.up)
        guard ups.count >= 3, let up = componentMedian(ups, minimumLength: 0.5) else { return nil }
        return [up.x, up.y, up.z]
    }

    /// The posture reference: gravity's direction when standing before the first gait, else the
    /// component-wise median over the first `postureReferenceWindows` gait windows; and the
    /// forward axis, the median of every gait window's, made horizontal to it.
    ///
    /// Taken once from the first gait window, a reference was wrong whenever that window held the
    /// clip being handled (a true 8° growth of forward lean then measured 0–3°); a median over
    /// windows outvotes one bad window, and the forward axis barely moves in the clip's frame.
    static func postureReference(_ analyzer: WindowAnalyzer) -> (up: Vector3, forwardRaw: Vector3)? {
        let gait = analyzer.windows.filter { $0.kind.isGait }
        let forwards = gait.compactMap(\.forwardRaw)
        guard let up = analyzer.standingUp ?? componentMedian(gait.prefix(postureReferenceWindows).compactMap(\.up)),
              let forward = componentMedian(forwards) else { return nil }
        let horizontal = forward - up * forward.dot(up)
        guard horizontal.length > 0.1 else { return nil }
        return (up, horizontal.normalized)
    }

    /// Gait windows (after the first, at the hop) whose median gravity direction is the early-gait
    /// posture reference: about 25 s (design choice, tested by `PostureReferenceTests`).
    static let postureReferenceWindows = 5

    /// The component-wise median of unit vectors, normalised; nil for none, or when the median is
    /// shorter than `minimumLength` (the vectors point every which way).
    static func componentMedian(_ vectors: [Vector3], minimumLength: Float = 0.1) -> Vector3? {
        guard let x = median(vectors.map(\.x)), let y = median(vectors.map(\.y)), let z = median(vectors.map(\.z)) else { return nil }
        let v = Vector3(x, y, z)
        return v.length > minimumLength ? v.normalized : nil
    }

    static func resolve(_ c: StepCandidate, sign: Float, posture: (up: Vector3, forwardRaw: Vector3)?) -> GaitStep {
        let tiltRawDeg = posture.map { atan2f(-c.strideUp.dot($0.forwardRaw), c.strideUp.dot($0.up)) * 180 / Float.pi } ?? 0
        return GaitStep(
            initialContactS: c.timeS, side: nil, sideConfidence: 0, activity: c.kind, stepTimeS: nil,
            impactPeakG: c.impactPeakG, loadingRateGPerS: c.loadingRateGPerS,
            brakingPeakG: max(0, sign > 0 ? -c.apMinG : c.apMaxG),
            brakingVelocityLossMPS: (sign > 0 ? c.negativeImpulseGS : c.positiveImpulseGS) * standardGravityMPS2,
            groundContactTimeS: c.contactTimeS, finalContactS: c.finalContactS, contactTimeQuality: c.contactTimeQuality,
            peakVerticalForceBW: c.peakVerticalForceBW, verticalOscillationCm: c.verticalOscillationCm,
            pelvisTiltDeg: sign * tiltRawDeg, pelvicRotationDeg: c.pelvicRotationDeg,
            pelvicObliquityDeg: c.pelvicObliquityDeg)
    }

    /// A step's time is the time from the previous contact (the other foot's) to its own, when the
    /// two are in the same segment and within 1.8 step periods (otherwise a step was missed or the
    /// runner stopped): a step is named by the foot that lands, so the left step time ends at the
    /// left foot's contact (the usual convention of gait analysis, e.g. GAITRite's).
    static func assignStepTimes(_ steps: inout [GaitStep], candidates: [StepCandidate]) {
        guard steps.count > 1 else { return }
        for i in 1..<steps.count {
            let a = candidates[i - 1], b = candidates[i]
            guard a.segmentIndex == b.segmentIndex, a.kind.isGait, b.kind.isGait else { continue }
            let dt = b.timeS - a.timeS
            if dt > 0.15, dt < 1.8 * Double(max(a.stepPeriodS, b.stepPeriodS)) { steps[i].stepTimeS = Float(dt) }
        }
    }

    /// Sides: along a chain of consecutive steps, sides alternate; the parity that best matches
    /// the ML evidence (+ML on a left stance) labels the chain. Confidence grows with how
    /// consistently the evidence alternates and with the chain's length.
    static func assignSides(_ steps: inout [GaitStep], candidates: [StepCandidate], sign: Float, signConfidence: Float, gyroscope: Bool) {
        var chainStart = 0
        while chainStart < steps.count {
            var chainEnd = chainStart
            while chainEnd < steps.count - 1, steps[chainEnd + 1].stepTimeS != nil { chainEnd += 1 }
            labelChain(&steps, candidates: candidates, range: chainStart...chainEnd, sign: sign, signConfidence: signConfidence,
                       gyroscope: gyroscope)
            chainStart = chainEnd + 1
        }
    }

    /// Without a gyroscope the pelvis's roll cannot be put back, and in running (2–3 g of vertical
    /// force) it can outweigh the sway and invert the sides (it does on the real running of
    /// `SampleData/realrun` and on GaitSynth runs with little sway): a running step's side then
    /// carries at most this confidence.
    static let runningWithoutGyroscopeSideConfidence: Float = 0.5

    /// Steps either side of a step whose alternating ML evidence decides its side (design choice:
    /// 12 steps each way is about 4 s of running; a missed or extra contact in a long chain then
    /// swaps the parity only near it, instead of flipping half the chain. Tested by
    /// `SideConfidenceTests` and the scenario suite).
    static let sideNeighbourhoodSteps = 12

    /// Labels the steps of one chain (consecutive steps, sides alternate). Each step's parity is
    /// the one that best matches the ML evidence of the steps around it (+ML on a left stance);
    /// its confidence grows with how consistently that evidence alternates and with the chain's
    /// length, and is scaled by how sure the forward sign is.
    static func labelChain(_ steps: inout [GaitStep], candidates: [StepCandidate], range: ClosedRange<Int>, sign: Float,
                           signConfidence: Float, gyroscope: Bool) {
        let evidence = range.map { sign * candidates[$0].sideStatisticRaw }
        let count = evidence.count
        // Prefix sums of the evidence with alternating sign (+ on even positions) and of its size.
        var alternatingSum = [Float](repeating: 0, count: count + 1), sizeSum = [Float](repeating: 0, count: count + 1)
        for (j, e) in evidence.enumerated() {
            alternatingSum[j + 1] = alternatingSum[j] + (j % 2 == 0 ? e : -e)
            sizeSum[j + 1] = sizeSum[j] + abs(e)
        }
        let lengthFactor = min(1, Float(count) / 6)
        for (j, i) in range.enumerated() {
            let lo = max(0, j - sideNeighbourhoodSteps), hi = min(count, j + sideNeighbourhoodSteps + 1)
            let magnitude = sizeSum[hi] - sizeSum[lo]
            guard magnitude > 0 else { continue }
            // The neighbourhood's evidence for "this step is left", with the alternation taken
            // from this step's position.
            let alternating = (alternatingSum[hi] - alternatingSum[lo]) * (j % 2 == 0 ? 1 : -1)
            let isLeft = alternating > 0
            let consistency = abs(alternating) / magnitude
            let agrees = (evidence[j] > 0) == isLeft
            steps[i].side = isLeft ? .left : .right
            let ceiling = !gyroscope && candidates[i].kind == .running ? runningWithoutGyroscopeSideConfidence : 1
            steps[i].sideConfidence = min(ceiling, max(0, signConfidence * lengthFactor * consistency * (agrees ? 1 : 0.6)))
        }
    }

    /// Bouts with their summaries. `primary` is the primary activity with its step count and
    /// summary: a bout that holds every primary step has the same statistics (less the drift),
    /// which are reused rather than selected again.
    static func makeBouts(
        windows: [WindowRecord], steps: [GaitStep],
        primary: (kind: ActivityKind, stepCount: Int, summary: GaitMetricsSummary?)?, walkingBreakS: Double
    ) -> [GaitBout] {
        let spans = activitySpans(windows: windows, steps: steps, walkingBreakS: walkingBreakS)
        // Absorb short pauses (standing, fiddling) between two running bouts; walking bouts end at
        // their pauses (breaks of up to `walkingBreakS` are already inside them).
        var merged: [(start: Double, end: Double, kind: ActivityKind, pauseS: Double)] = []
        for span in spans {
            if merged.count >= 2, span.kind == .running, merged[merged.count - 2].kind == span.kind,
               !merged[merged.count - 1].kind.isGait,
               merged[merged.count - 1].end - merged[merged.count - 1].start <= tolerablePauseS {
                let pause = merged.removeLast()
                merged[merged.count - 1].end = span.end
                merged[merged.count - 1].pauseS += span.pauseS + (pause.end - pause.start)
            } else {
                merged.append(span)
            }
        }
        return merged.map { span in
            let inside = steps.filter { $0.initialContactS >= span.start && $0.initialContactS < span.end && $0.activity == span.kind }
            var summary: GaitMetricsSummary?
            if span.kind.isGait, !inside.isEmpty {
                // `inside` and the primary steps are both `steps` filtered in order, so equal
                // counts mean the same steps.
                if let primary, primary.kind == span.kind, primary.stepCount == inside.count, let whole = primary.summary {
                    summary = whole.withoutDriftAndRegularity
                } else {
                    summary = metricsSummary(inside, windows: [], withDrift: false)
                }
            }
            return GaitBout(startS: span.start, endS: span.end, kind: span.kind, pausedS: span.pauseS, stepCount: inside.count,
                            cadenceSpm: summary?.cadenceSpm, metrics: summary)
        }
    }

    /// A step's side counts as known from this confidence.
    static let confidentSideLevel: Float = 0.6
    /// Share of the steps whose side must be known before a worse side is named.
    static let confidentSideShareToName: Float = 0.6

    static func metricsSummary(_ steps: [GaitStep], windows: [WindowRecord], withDrift: Bool) -> GaitMetricsSummary {
        var metrics: [String: MetricStatistics] = [:]
        for metric in GaitMetric.allCases {
            if let stats = statistics(metric, steps, withDrift: withDrift) { metrics[metric.rawValue] = stats }
        }
        let cadence = cadenceSpm(steps)
        let d1 = median(windows.map(\.stepRegularity))
        let d2 = median(windows.map(\.strideRegularity))
        return GaitMetricsSummary(
            cadenceSpm: cadence, metrics: metrics, stepRegularity: d1, strideRegularity: d2,
            autocorrelationSymmetry: (d1 != nil && d2 != nil && d2! > 0) ? d1! / d2! : nil)
    }

    static func statistics(_ metric: GaitMetric, _ steps: [GaitStep], withDrift: Bool) -> MetricStatistics? {
        var all: [Float] = [], left: [Float] = [], right: [Float] = []
        all.reserveCapacity(steps.count)
        var confidentlySided = 0
        for s in steps {
            guard let v = metric.value(of: s), v.isFinite else { continue }
            all.append(v)
            if s.sideConfidence >= 0.3 {
                if s.side == .left { left.append(v) } else if s.side == .right { right.append(v) }
            }
            if s.side != nil, s.sideConfidence >= confidentSideLevel { confidentlySided += 1 }
        }
        guard !all.isEmpty else { return nil }
        var drift: Float?, driftPct: Float?
        if withDrift, all.count >= 50 {
            // `all` is still in time order here.
            let fifth = all.count / 5
            var earlySteps = Array(all[0..<fifth]), lateSteps = Array(all[(all.count - fifth)...])
            let early = SignalKernels.quantile(&earlySteps, 0.5), late = SignalKernels.quantile(&lateSteps, 0.5)
            drift = late - early
            if metric.isRatioScale, early != 0 { driftPct = (late - early) / abs(early) * 100 }
        }
        let m = SignalKernels.quantile(&all, 0.5)
        let iqr = SignalKernels.quantile(&all, 0.75) - SignalKernels.quantile(&all, 0.25)
        let l = left.count >= 3 ? SignalKernels.quantile(&left, 0.5) : nil
        let r = right.count >= 3 ? SignalKernels.quantile(&right, 0.5) : nil
        var si: Float?, sa: Float?, worse: FootSide?, interval: [Float]?
        if let l, let r, l + r != 0 {
            if metric.isRatioScale {
                let value = (l - r) / ((l + r) / 2) * 100
                si = value
                if l > 0, r > 0 { sa = (45 - atanf(l / r) * 180 / Float.pi) / 90 * 100 }
                // SI = 200 (L − R) / (L + R): ∂SI/∂L = 400 R / (L + R)², ∂SI/∂R = −400 L / (L + R)².
                // Each side's spread from its own steps (the pooled IQR would count the asymmetry itself).
                let sigmaL = (SignalKernels.quantile(&left, 0.75) - SignalKernels.quantile(&left, 0.25)) / 1.349
                let sigmaR = (SignalKernels.quantile(&right, 0.75) - SignalKernels.quantile(&right, 0.25)) / 1.349
                let seL = 1.2533 * sigmaL / Float(left.count).squareRoot(), seR = 1.2533 * sigmaR / Float(right.count).squareRoot()
                let sum2 = (l + r) * (l + r)
                let se = ((400 * r / sum2 * seL) * (400 * r / sum2 * seL) + (400 * l / sum2 * seR) * (400 * l / sum2 * seR)).squareRoot()
                if se.isFinite { interval = [value - 1.96 * se, value + 1.96 * se] }
            }
            // Name a worse side only when the sides differ beyond step-to-step variation: the
            // difference of the medians must exceed twice its standard error (SE of a median
            // ≈ 1.2533 σ/√n, σ ≈ IQR/1.349 from the pooled steps) …
            let sigma = iqr / 1.349
            let standardError = 1.2533 * sigma * (1 / Float(left.count) + 1 / Float(right.count)).squareRoot()
            // … and by at least 2% (or 1 unit for angles): smaller differences do not matter to a physio.
            let meaningful = metric.isRatioScale ? abs(si ?? 0) >= 2 : abs(l - r) >= 1
            // … and only when which side is which is known: the sides of most steps are confident.
            let sidesKnown = Float(confidentlySided) >= confidentSideShareToName * Float(all.count)
            if meaningful, sidesKnown, abs(l - r) > 2 * standardError { worse = (l > r) == metric.higherIsWorse ? .left : .right }
        }
        return MetricStatistics(
            count: all.count, median: m, iqr: iqr, leftMedian: l, rightMedian: r, symmetryIndexPct: si,
            symmetryIndexCI95Pct: interval, symmetryAnglePct: sa, worseSide: worse, drift: drift, driftPct: driftPct)
    }

    /// Cadence of a run of steps, steps/min: 120 / the median stride time, a stride being two
    /// consecutive step times. With a step-time asymmetry the step times gather around two values
    /// and their median falls anywhere between them (up to 2.3 steps/min off); a stride holds one
    /// step of each side. Steps without a neighbour fall back to 60 / the median step time.
    static func cadenceSpm(_ steps: some Collection<GaitStep>) -> Float? {
        var strides: [Float] = [], singles: [Float] = []
        var previous: Float?
        for s in steps {
            if let t = s.stepTimeS {
                singles.append(t)
                if let p = previous { strides.append(p + t) }
            }
            previous = s.stepTimeS
        }
        if let stride = median(strides), stride > 0 { return 120 / stride }
        return median(singles).map { 60 / $0 }
    }

    /// Median cadence in consecutive slices (one minute, or a twentieth of the gait time for short runs).
    static func cadenceTrend(_ steps: [GaitStep]) -> [TrendPoint] {
        guard let first = steps.first, let last = steps.last, last.initialContactS > first.initialContactS else { return [] }
        let span = last.initialContactS - first.initialContactS
        let slice = max(10, min(60, span / 20))
        var points: [TrendPoint] = []
        var bucketStart = first.initialContactS
        var start = 0
        func close(_ end: Int) {
            let bucket = steps[start..<end]
            if bucket.filter({ $0.stepTimeS != nil }).count >= 5, let cadence = cadenceSpm(bucket) {
                points.append(TrendPoint(tS: bucketStart + slice / 2, value: cadence))
            }
        }
        for (i, s) in steps.enumerated() where s.initialContactS >= bucketStart + slice {
            close(i)
            start = i
            // Jump over the empty slices of a gap at once: stepping slice by slice cost time in
            // proportion to the gap (a 10¹² s jump took minutes). Empty slices give no point.
            bucketStart += (((s.initialContactS - bucketStart) / slice).rounded(.down)) * slice
            if s.initialContactS >= bucketStart + slice { bucketStart = s.initialContactS }
        }
        close(steps.count)
        return points
    }

    static func median(_ values: [Float]) -> Float? {
        guard !values.isEmpty else { return nil }
        var copy = values
        return SignalKernels.quantile(&copy, 0.5)
    }
}

fileprivate extension GaitMetricsSummary {
    /// What `metricsSummary(_:windows: [], withDrift: false)` gives for the same steps: no drift
    /// and no window regularity.
    var withoutDriftAndRegularity: GaitMetricsSummary {
        var summary = self
        for (name, var statistics) in summary.metrics {
            statistics.drift = nil
            statistics.driftPct = nil
            summary.metrics[name] = statistics
        }
        summary.stepRegularity = nil
        summary.strideRegularity = nil
        summary.autocorrelationSymmetry = nil
        return summary
    }
}
