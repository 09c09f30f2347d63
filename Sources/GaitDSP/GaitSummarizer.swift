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
        // The raw forward axis points backwards if, summed over all steps, the pelvis accelerated
        // along it just after contact: braking is a deceleration in walking and running alike.
        let sign: Float = analyzer.brakingVote > 0 ? -1 : 1
        var steps = analyzer.steps.map { resolve($0, sign: sign) }
        assignStepTimes(&steps, candidates: analyzer.steps)
        assignSides(&steps, candidates: analyzer.steps, sign: sign)
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
            : Float(primarySteps.filter { $0.side != nil && $0.sideConfidence >= 0.6 }.count) / Float(primarySteps.count)
        let summary = SessionSummary(
            primaryActivity: primary, activityTimeS: activityTime, stepCount: primarySteps.count, metrics: metrics,
            postureReference: analyzer.sawGait ? (analyzer.postureReferenceIsStanding ? "standing" : "early_gait") : nil,
            confidentSideShare: confident, cadenceTrend: cadenceTrend(primarySteps), mountUpAxis: mountUp(primaryWindows))
        return GaitAnalysis(
            input: input, sampleRateHz: sampleRateHz, processingRateHz: processingRateHz, durationS: durationS,
            bouts: bouts, steps: steps, summary: summary)
    }

    /// The component-wise median of the windows' gravity directions, normalised.
    static func mountUp(_ windows: [WindowRecord]) -> [Float]? {
        let ups = windows.compactMap(\.up)
        guard ups.count >= 3, let x = median(ups.map(\.x)), let y = median(ups.map(\.y)), let z = median(ups.map(\.z)) else { return nil }
        let length = (x * x + y * y + z * z).squareRoot()
        guard length > 0.5 else { return nil }
        return [x / length, y / length, z / length]
    }

    static func resolve(_ c: StepCandidate, sign: Float) -> GaitStep {
        GaitStep(
            initialContactS: c.timeS, side: nil, sideConfidence: 0, activity: c.kind, stepTimeS: nil,
            impactPeakG: c.impactPeakG, loadingRateGPerS: c.loadingRateGPerS,
            brakingPeakG: max(0, sign > 0 ? -c.apMinG : c.apMaxG),
            brakingVelocityLossMPS: (sign > 0 ? c.negativeImpulseGS : c.positiveImpulseGS) * standardGravityMPS2,
            groundContactTimeS: c.contactTimeS, verticalOscillationCm: c.verticalOscillationCm,
            pelvisTiltDeg: sign * c.tiltRawDeg, pelvicRotationDeg: c.pelvicRotationDeg,
            pelvicObliquityDeg: c.pelvicObliquityDeg)
    }

    /// Step time is the time to the next contact in the same segment, when that contact comes
    /// within 1.8 step periods (otherwise a step was missed or the runner stopped).
    static func assignStepTimes(_ steps: inout [GaitStep], candidates: [StepCandidate]) {
        guard steps.count > 1 else { return }
        for i in 0..<(steps.count - 1) {
            let a = candidates[i], b = candidates[i + 1]
            guard a.segmentIndex == b.segmentIndex, a.kind.isGait, b.kind.isGait else { continue }
            let dt = b.timeS - a.timeS
            if dt > 0.15, dt < 1.8 * Double(max(a.stepPeriodS, b.stepPeriodS)) { steps[i].stepTimeS = Float(dt) }
        }
    }

    /// Sides: along a chain of consecutive steps, sides alternate; the parity that best matches
    /// the ML evidence (+ML on a left stance) labels the chain. Confidence grows with how
    /// consistently the evidence alternates and with the chain's length.
    static func assignSides(_ steps: inout [GaitStep], candidates: [StepCandidate], sign: Float) {
        var chainStart = 0
        while chainStart < steps.count {
            var chainEnd = chainStart
            while chainEnd < steps.count - 1, steps[chainEnd].stepTimeS != nil { chainEnd += 1 }
            labelChain(&steps, candidates: candidates, range: chainStart...chainEnd, sign: sign)
            chainStart = chainEnd + 1
        }
    }

    static func labelChain(_ steps: inout [GaitStep], candidates: [StepCandidate], range: ClosedRange<Int>, sign: Float) {
        var alternating: Float = 0
        var magnitude: Float = 0
        for (j, i) in range.enumerated() {
            let s = sign * candidates[i].sideStatisticRaw
            alternating += (j % 2 == 0 ? s : -s)
            magnitude += abs(s)
        }
        guard magnitude > 0 else { return }
        let evenIsLeft = alternating > 0
        let consistency = abs(alternating) / magnitude
        let lengthFactor = min(1, Float(range.count) / 6)
        for (j, i) in range.enumerated() {
            let isLeft = (j % 2 == 0) == evenIsLeft
            let s = sign * candidates[i].sideStatisticRaw
            let agrees = (s > 0) == isLeft
            steps[i].side = isLeft ? .left : .right
            steps[i].sideConfidence = min(1, max(0, lengthFactor * consistency * (agrees ? 1 : 0.6)))
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

    static func metricsSummary(_ steps: [GaitStep], windows: [WindowRecord], withDrift: Bool) -> GaitMetricsSummary {
        var metrics: [String: MetricStatistics] = [:]
        for metric in GaitMetric.allCases {
            if let stats = statistics(metric, steps, withDrift: withDrift) { metrics[metric.rawValue] = stats }
        }
        let cadence = metrics[GaitMetric.stepTimeS.rawValue].map { 60 / $0.median }
        let d1 = median(windows.map(\.stepRegularity))
        let d2 = median(windows.map(\.strideRegularity))
        return GaitMetricsSummary(
            cadenceSpm: cadence, metrics: metrics, stepRegularity: d1, strideRegularity: d2,
            autocorrelationSymmetry: (d1 != nil && d2 != nil && d2! > 0) ? d1! / d2! : nil)
    }

    static func statistics(_ metric: GaitMetric, _ steps: [GaitStep], withDrift: Bool) -> MetricStatistics? {
        var all: [Float] = [], left: [Float] = [], right: [Float] = []
        all.reserveCapacity(steps.count)
        for s in steps {
            guard let v = metric.value(of: s), v.isFinite else { continue }
            all.append(v)
            if s.sideConfidence >= 0.3 {
                if s.side == .left { left.append(v) } else if s.side == .right { right.append(v) }
            }
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
            if meaningful, abs(l - r) > 2 * standardError { worse = (l > r) == metric.higherIsWorse ? .left : .right }
        }
        return MetricStatistics(
            count: all.count, median: m, iqr: iqr, leftMedian: l, rightMedian: r, symmetryIndexPct: si,
            symmetryIndexCI95Pct: interval, symmetryAnglePct: sa, worseSide: worse, drift: drift, driftPct: driftPct)
    }

    /// Median cadence in consecutive slices (one minute, or a twentieth of the gait time for short runs).
    static func cadenceTrend(_ steps: [GaitStep]) -> [TrendPoint] {
        guard let first = steps.first, let last = steps.last, last.initialContactS > first.initialContactS else { return [] }
        let span = last.initialContactS - first.initialContactS
        let slice = max(10, min(60, span / 20))
        var points: [TrendPoint] = []
        var bucket: [Float] = []
        var bucketStart = first.initialContactS
        for s in steps {
            while s.initialContactS >= bucketStart + slice {
                if bucket.count >= 5, let m = median(bucket) { points.append(TrendPoint(tS: bucketStart + slice / 2, value: 60 / m)) }
                bucket.removeAll(keepingCapacity: true)
                bucketStart += slice
            }
            if let t = s.stepTimeS { bucket.append(t) }
        }
        if bucket.count >= 5, let m = median(bucket) { points.append(TrendPoint(tS: bucketStart + slice / 2, value: 60 / m)) }
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
