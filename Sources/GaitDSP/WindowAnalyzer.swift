#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard gravity, m/s² per g.
public let standardGravityMPS2: Float = 9.80665

/// What one analysis window found, kept for bouts, regularity and trends.
struct WindowRecord: Sendable {
    /// Committed time range, seconds from the first sample.
    var startS: Double
    var endS: Double
    var kind: ActivityKind
    /// Step period from autocorrelation, seconds.
    var stepPeriodS: Float
    /// Autocorrelation at the step lag (d1) and the stride lag (d2).
    var stepRegularity: Float
    var strideRegularity: Float
    var verticalSDG: Float
    /// Gravity's direction in the sensor's frame over the window (unit vector): how the clip sits.
    var up: Vector3? = nil
    /// The raw forward axis of a gait window (sensor frame, sign continued from window to window).
    var forwardRaw: Vector3? = nil
    /// What the window is outside its walking steps (standing or other); its kind when it has none.
    var nonWalkingKind: ActivityKind = .other
}

/// One detected step before the session-wide resolution of the forward direction and sides.
///
/// Quantities that depend on the sign of the AP axis are kept for both signs (or in raw axes)
/// and resolved once, at the end, from the whole session's braking evidence.
struct StepCandidate: Sendable {
    var timeS: Double
    var segmentIndex: Int
    var kind: ActivityKind
    var stepPeriodS: Float
    var nextContactS: Double?
    var impactPeakG: Float
    var loadingRateGPerS: Float?
    var apMinG: Float
    var apMaxG: Float
    var negativeImpulseGS: Float
    var positiveImpulseGS: Float
    /// Mean ML acceleration (raw axis) over the step's stance, g.
    var sideStatisticRaw: Float
    var contactTimeS: Float?
    var finalContactS: Double?
    var contactTimeQuality: Float?
    var peakVerticalForceBW: Float?
    var verticalOscillationCm: Float?
    /// Direction of the stride's mean specific force in the sensor frame (unit vector): the
    /// pelvis's tilt once compared with the session's posture reference.
    var strideUp: Vector3
    var pelvicRotationDeg: Float?
    var pelvicObliquityDeg: Float?
}

/// Analyses one window of uniform-grid samples: orientation, activity, steps and per-step metrics.
///
/// Orientation: gravity is the window's mean specific force (tilt correction, Moe-Nilssen 1998);
/// AP is the dominant direction of the step-periodic horizontal acceleration (the ML sway repeats
/// only every stride, so adding the signal to itself one step later cancels it); the sign of AP
/// is fixed session-wide from braking (deceleration just after contact, in walking and running);
/// ML = AP × V (+right). Steps: one vertical-acceleration peak per step period, with initial
/// contact placed on the rise before it (running: onset of the sharp rise out of flight, Lee et
/// al. 2010; walking: the rise to the loading peak, which follows contact by ~30–50 ms).
struct WindowAnalyzer: Sendable {
    var rateHz: Float = 100
    var configuration = GaitEngineConfiguration()
    var windows: [WindowRecord] = []
    var steps: [StepCandidate] = []
    var lastGaitCadenceSpm: Float?

    // Orientation state, carried across windows.
    var forwardAxisRaw: Vector3?
    /// Fading sum of the step-periodic horizontal acceleration covariance, sensor coordinates.
    var forwardCovariance = SymmetricMatrix3()
    /// Sum over committed steps of the change in raw-AP acceleration across contact (after minus
    /// before); positive means the raw axis points backwards.
    var brakingVote: Float = 0
    /// Sum of the absolute per-step braking evidence (for the vote's consistency).
    var brakingVoteAbs: Float = 0
    /// Sum over running steps of the braking-then-propulsion evidence along the raw AP axis:
    /// positive means the raw axis points forwards.
    var propulsionVote: Float = 0
    var propulsionVoteAbs: Float = 0
    var standingUp: Vector3?
    var postureReferenceIsStanding = false
    var sawGait = false

    /// Finds walking steps wherever the window moves like walking (see `findWalking`).
    var walkingDetector = WalkingStepDetector()
    /// Segment and segment index of the band-passed peak of the last walking step committed: a
    /// chain of steps through it in the next window continues walking.
    var lastWalkingPeak: (segment: Int, index: Int)?

    // Scratch buffers reused across windows.
    var vertical: [Float] = []
    var horizontal1: [Float] = []
    var horizontal2: [Float] = []
    var smooth: [Float] = []
    var fine: [Float] = []
    /// The vertical signal smoothed for the contact's flight bounds (see `edgeSigmaTolerance`);
    /// in running windows only, where `fine`'s box is too wide.
    var edge: [Float] = []
    /// Whether `edge` is `fine` (its box is close enough to `fineSigmaS`, or the window is not running).
    var edgeIsFine = true
    /// The taps of `edge`'s Gaussian.
    var edgeWeights: [Float] = []
    var decimated: [Float] = []
    var sortScratch: [Float] = []
    var secondScratch: [Float] = []
    /// Displacement over one step, for its vertical excursion.
    var positionScratch: [Float] = []
    /// Autocorrelation of the decimated vertical acceleration by lag.
    var correlations: [Float] = []
    /// Running integrals of the yaw and roll rates over the window (deg), index i = up to sample i.
    var yawAngle: [Float] = []
    var rollAngle: [Float] = []

    mutating func configure(rateHz: Double, configuration: GaitEngineConfiguration) {
        self.rateHz = Float(rateHz)
        self.configuration = configuration
        walkingDetector.configure(rateHz: rateHz, configuration: configuration.walking)
    }

    // swiftlint:disable:next function_body_length
    mutating func analyze(segment: SegmentBuffer, segmentIndex: Int, from: Int, to: Int, commitFrom: Int, commitTo: Int) {
        let n = to - from
        let offset = from - segment.base
        let rate = rateHz
        let timeOf = { (index: Double) -> Double in segment.startTimeS + index / Double(rate) }
        var record = WindowRecord(startS: timeOf(Double(commitFrom)), endS: timeOf(Double(commitTo)),
                                  kind: .other, stepPeriodS: 0, stepRegularity: 0, strideRegularity: 0, verticalSDG: 0)
        guard n >= Int(2 * rate) else {
            record.kind = .other
            windows.append(record)
            return
        }

        // 1. Gravity and the horizontal plane.
        var sx: Float = 0, sy: Float = 0, sz: Float = 0
        segment.ax.withUnsafeBufferPointer { ax in
        segment.ay.withUnsafeBufferPointer { ay in
        segment.az.withUnsafeBufferPointer { az in
            for i in offset..<(offset + n) { sx += ax[i]; sy += ay[i]; sz += az[i] }
        }}}
        let meanAccel = Vector3(sx, sy, sz) * (1 / Float(n))
        let gravityG = meanAccel.length
        guard gravityG > 0.3 else {
            windows.append(record)
            return
        }
        let up = meanAccel * (1 / gravityG)
        record.up = up
        let e1 = up.anyPerpendicular
        let e2 = up.cross(e1)

        resize(&vertical, n); resize(&horizontal1, n); resize(&horizontal2, n)
        resize(&smooth, n); resize(&fine, n)
        var sumSquares: Float = 0
        segment.ax.withUnsafeBufferPointer { ax in
        segment.ay.withUnsafeBufferPointer { ay in
        segment.az.withUnsafeBufferPointer { az in
        vertical.withUnsafeMutableBufferPointer { v in
        horizontal1.withUnsafeMutableBufferPointer { h1 in
        horizontal2.withUnsafeMutableBufferPointer { h2 in
            // Four samples at a time, each computed as one at a time; the sum of squares stays
            // in sample order.
            func load(_ channel: UnsafeBufferPointer<Float>, _ i: Int) -> SIMD4<Float> {
                UnsafeRawPointer(channel.baseAddress! + offset + i).loadUnaligned(as: SIMD4<Float>.self)
            }
            func store(_ values: SIMD4<Float>, _ output: UnsafeMutableBufferPointer<Float>, _ i: Int) {
                UnsafeMutableRawPointer(output.baseAddress! + i).storeBytes(of: values, as: SIMD4<Float>.self)
            }
            var i = 0
            while i + 4 <= n {
                let x = load(ax, i), y = load(ay, i), z = load(az, i)
                let vv = x * up.x + y * up.y + z * up.z - gravityG
                store(vv, v, i)
                let squares = vv * vv
                sumSquares += squares[0]
                sumSquares += squares[1]
                sumSquares += squares[2]
                sumSquares += squares[3]
                store(x * e1.x + y * e1.y + z * e1.z, h1, i)
                store(x * e2.x + y * e2.y + z * e2.z, h2, i)
                i += 4
            }
            while i < n {
                let x = ax[offset + i], y = ay[offset + i], z = az[offset + i]
                let vv = x * up.x + y * up.y + z * up.z - gravityG
                v[i] = vv
                sumSquares += vv * vv
                h1[i] = x * e1.x + y * e1.y + z * e1.z
                h2[i] = x * e2.x + y * e2.y + z * e2.z
                i += 1
            }
        }}}}}}
        let verticalSD = (sumSquares / Float(n)).squareRoot()
        record.verticalSDG = verticalSD

        // 2. Periodicity and activity.
        let (autocorrelationPeriod, d1, d2) = estimateStepPeriod(count: n)
        record.stepPeriodS = autocorrelationPeriod
        record.stepRegularity = d1
        record.strideRegularity = d2
        var kind = classify(verticalSD: verticalSD, stepPeriodS: autocorrelationPeriod, stepRegularity: d1, count: n, gravityG: gravityG)
        record.nonWalkingKind = kind
        // Walking is found step by step, so that short bouts, slow and irregular steps in a window
        // that is otherwise still are kept; its steps may start in the window's leading margin
        // when the previous window could not yet tell them from noise.
        let walking = kind == .running ? nil
            : findWalking(segment: segment, segmentIndex: segmentIndex, offset: offset, from: from, commitTo: commitTo)
        if let walking {
            kind = .walking
            record.stepPeriodS = walking.stepPeriodS
        }
        let stepPeriod = walking?.stepPeriodS ?? autocorrelationPeriod
        let commitFrom = walking?.commitFrom ?? commitFrom
        record.kind = kind
        windows.append(record)
        if kind == .standing, !sawGait { standingUp = up }
        guard kind.isGait else { return }
        lastGaitCadenceSpm = 60 / stepPeriod
        let periodSamples = stepPeriod * rate

        // 3. Forward axis from the step-periodic horizontal acceleration.
        let forwardRaw = estimateForwardAxis(count: n, lag: Int(periodSamples.rounded()), e1: e1, e2: e2)
        windows[windows.count - 1].forwardRaw = forwardRaw
        if !sawGait {
            sawGait = true
            postureReferenceIsStanding = standingUp != nil
        }
        let forward = forwardRaw
        let rightRaw = forward.cross(up)
        let f1 = forward.dot(e1), f2 = forward.dot(e2)
        let r1 = rightRaw.dot(e1), r2 = rightRaw.dot(e2)

        // 4. Step peaks and initial contacts.
        let running = kind == .running
        let sigma = (running ? 0.08 : 0.05) * periodSamples
        var smoothed = smooth, fineSmoothed = fine
        smooth = []
        fine = []
        let fineWidth = SignalKernels.boxWidth(forGaussianSigma: Self.fineSigmaS * rate)
        smoothThreePasses(width: SignalKernels.boxWidth(forGaussianSigma: sigma), into: &smoothed,
                          width: fineWidth, into: &fineSmoothed)
        smooth = smoothed
        fine = fineSmoothed
        edgeIsFine = true
        if running, SignalKernels.threePassSigma(width: fineWidth) > Self.edgeSigmaTolerance * Self.fineSigmaS * rate {
            edgeIsFine = false
            smoothGaussian(sigmaSamples: Self.fineSigmaS * rate)
        }
        let peaks = running ? findStepPeaks(count: n, periodSamples: periodSamples) : walkingStepPeaks(periodSamples: periodSamples)
        let riseFraction = running ? configuration.runningContactRiseFraction : configuration.walkingContactRiseFraction
        var contacts: [(index: Double, top: Int, level: Float)] = []
        contacts.reserveCapacity(peaks.count)
        for p in peaks {
            let halfSearch = Int(0.15 * periodSamples)
            var top = p
            for j in max(0, p - halfSearch)...min(n - 1, p + halfSearch) where fine[j] > fine[top] { top = j }
            let back = max(0, top - Int(0.6 * periodSamples))
            var low = top
            for j in back...top where fine[j] < fine[low] { low = j }
            guard low < top else { continue }
            let level = fine[low] + riseFraction * (fine[top] - fine[low])
            var j = top
            while j > low, fine[j] > level { j -= 1 }
            let denominator = fine[j + 1] - fine[j]
            let fraction = denominator > 0 ? (level - fine[j]) / denominator : 0
            contacts.append((Double(j) + Double(fraction), top, level))
        }

        // 5. Per-step metrics for the committed contacts.
        let gyro = segment.hasGyro
        if gyro { integrateRotation(segment: segment, offset: offset, count: n, up: up, forward: forwardRaw) }
        // The next contact of the same run of steps (within 1.8 step periods), and the step's length.
        func next(_ c: Int) -> Double? {
            guard c + 1 < contacts.count, contacts[c + 1].index - contacts[c].index < 1.8 * Double(periodSamples) else { return nil }
            return contacts[c + 1].index
        }
        func stepLength(_ c: Int) -> Float { Float(next(c).map { $0 - contacts[c].index } ?? Double(periodSamples)) }
        // Running contact time: the estimates of every contact of the window (see `runningContact`),
        // and half the typical difference of the flight bounds from the spring-mass contact, which
        // sets each step's quality (and the level where the loaded-part estimate is missing).
        // The loaded-part estimates are moved together so that their median sits on the window's
        // calibrated level (see `loadedLevelS`).
        var contactEstimates: [RunningContactEstimate?] = []
        var levelOffsetS: Float = 0
        if running {
            contactEstimates = contacts.indices.map { runningContact(top: contacts[$0].top, stepSamples: stepLength($0)) }
            var differences = contactEstimates.compactMap { e in e.flatMap { e in e.springMassS.map { $0 - e.flightBoundedS } } }
            if !differences.isEmpty { levelOffsetS = 0.5 * SignalKernels.quantile(&differences, 0.5) }
            var loaded = contactEstimates.compactMap { $0?.loadedS }
            if loaded.count >= Self.loadedLevelMinimumSteps {
                let median = SignalKernels.quantile(&loaded, 0.5)
                let shift = Self.loadedLevelS(medianLoadedS: median) - median
                for c in contactEstimates.indices { contactEstimates[c]?.loadedS? += shift }
            }
        }
        for (c, contact) in contacts.enumerated() {
            let absoluteIndex = Double(from) + contact.index
            guard absoluteIndex >= Double(commitFrom), absoluteIndex < Double(commitTo) else { continue }
            let nextIndex = next(c)
            let stepSamples = stepLength(c)
            let ic = min(n - 1, Int(contact.index.rounded(.up)))
            func clampEnd(_ x: Float) -> Int { min(n, ic + max(1, Int(x))) }

            // Braking evidence and metrics (raw AP axis; both polarities kept).
            // The pelvis decelerates just after contact and accelerates (walking) or floats
            // (running) just before it, so AP drops across contact along the true forward axis.
            let beforeStart = max(0, ic - Int(0.25 * stepSamples))
            let afterStart = min(n - 1, ic + Int(0.05 * stepSamples)), afterEnd = clampEnd(0.35 * stepSamples)
            var beforeSum: Float = 0, afterSum: Float = 0
            for i in beforeStart..<max(beforeStart + 1, ic) { beforeSum += horizontal1[i] * f1 + horizontal2[i] * f2 }
            for i in afterStart..<max(afterStart + 1, afterEnd) { afterSum += horizontal1[i] * f1 + horizontal2[i] * f2 }
            let brakingEvidence = afterSum / Float(max(1, afterEnd - afterStart)) - beforeSum / Float(max(1, ic - beforeStart))
            let stanceEnd = clampEnd(0.5 * stepSamples)
            var apMin = Float.greatestFiniteMagnitude, apMax = -Float.greatestFiniteMagnitude
            var negative: Float = 0, positive: Float = 0
            for i in ic..<stanceEnd {
                let ap = horizontal1[i] * f1 + horizontal2[i] * f2
                apMin = min(apMin, ap)
                apMax = max(apMax, ap)
                if ap < 0 { negative -= ap } else { positive += ap }
            }
            // Side: ML over the stance (the pelvis is pushed medially, towards +ML on a left stance).
            // The clip rolls with the pelvis (the swing side drops), which tilts its ML axis into
            // the vertical force: it reads f_ML cos φ − f_V sin φ, and with 2–3 g of vertical force
            // in running a few degrees of drop outweigh a small sway and invert the side. With a
            // gyroscope the roll φ (about AP, against its stride mean) is known and put back.
            let sideStart = min(n - 1, ic + Int(0.08 * stepSamples)), sideEnd = clampEnd(0.65 * stepSamples)
            var sideSum: Float = 0
            for i in sideStart..<max(sideStart + 1, sideEnd) { sideSum += horizontal1[i] * r1 + horizontal2[i] * r2 }
            if gyro {
                sideSum += rollLeak(from: sideStart, to: max(sideStart + 1, sideEnd), contact: ic, stepSamples: stepSamples,
                                    count: n, gravityG: gravityG)
            }
            let sideStatistic = sideSum / Float(max(1, sideEnd - sideStart))

            // Impact peak and loading rate on the unsmoothed vertical signal.
            let impactEnd = clampEnd((running ? 0.5 : 0.3) * stepSamples)
            var peakIndex = ic
            for i in ic..<impactEnd where vertical[i] > vertical[peakIndex] { peakIndex = i }
            let impactPeak = vertical[peakIndex] + gravityG
            let loadingRate = loadingRateGPerS(contact: contact.index, peak: peakIndex)

            // Ground contact time, toe-off and peak vertical force (running; see `runningContact`).
            var contactTime: Float?, finalContact: Double?, contactQuality: Float?, peakForce: Float?
            let stepS = stepSamples / rate
            if running, let estimate = contactEstimates[c] {
                let seconds = estimate.contactS(levelOffsetS: levelOffsetS)
                if seconds > 0.08, seconds < 0.9 * stepS {
                    contactTime = seconds
                    finalContact = timeOf(absoluteIndex) + Double(seconds)
                    // Quality: 1 when this step's two estimates differ as the window's usually do,
                    // 0 when by a third of the contact more; 0.5 (not known) when only the flight
                    // bounds exist (no sine fits a force above body weight for over 56 % of the step).
                    contactQuality = estimate.springMassS.map {
                        max(0, min(1, 1 - abs($0 - estimate.flightBoundedS - 2 * levelOffsetS) / (seconds / 3)))
                    } ?? 0.5
                    // Peak force of the sine of the reported contact (see `peakVerticalForceBW`).
                    if nextIndex != nil {
                        peakForce = Self.peakVerticalForceBW(contactTimeS: seconds, stepTimeS: stepS)
                    }
                }
            }

            // Vertical oscillation over a complete step.
            var oscillation: Float?
            var rotation: Float?
            var obliquity: Float?
            if let next = nextIndex {
                let end = min(n, Int(next.rounded(.up)))
                if end - ic >= 4 { oscillation = verticalExcursionCm(from: ic, to: end) }
            }
            // Pelvic rotation and obliquity repeat once per stride, not per step: their range is
            // taken over the stride that starts at this contact (the angle returns to its start,
            // so linear detrending removes only the gyroscope's drift).
            if gyro, c + 2 < contacts.count, contacts[c + 2].index - contact.index < 3.6 * Double(periodSamples) {
                let end = min(n, Int(contacts[c + 2].index.rounded(.up)))
                if end - ic >= 8 {
                    rotation = rangeDeg(yawAngle, from: ic, to: end)
                    obliquity = rangeDeg(rollAngle, from: ic, to: end)
                }
            }

            // Posture: stride-mean specific force against the reference.
            let strideEnd = clampEnd(2 * stepSamples)
            var gxs: Float = 0, gys: Float = 0, gzs: Float = 0
            segment.ax.withUnsafeBufferPointer { ax in
            segment.ay.withUnsafeBufferPointer { ay in
            segment.az.withUnsafeBufferPointer { az in
                for i in ic..<strideEnd { gxs += ax[offset + i]; gys += ay[offset + i]; gzs += az[offset + i] }
            }}}
            let strideUp = Vector3(gxs, gys, gzs).normalized

            brakingVote += brakingEvidence
            brakingVoteAbs += abs(brakingEvidence)
            if running {
                // Over the stance the pelvis first brakes, then is propelled: along the true
                // forward axis the AP acceleration rises through the stance, whatever the foot
                // strike or the slope (braking across contact alone points the wrong way on
                // downhill treadmill running in `SampleData/realrun`).
                let stance = clampEnd(contactTime.map { $0 * rate } ?? 0.7 * stepSamples)
                let count = stance - ic
                if count >= 4 {
                    let middle = Float(ic + stance - 1) / 2
                    var slope: Float = 0
                    for i in ic..<stance { slope += (horizontal1[i] * f1 + horizontal2[i] * f2) * (Float(i) - middle) }
                    let evidence = slope / (Float(count) * Float(count) / 4)
                    propulsionVote += evidence
                    propulsionVoteAbs += abs(evidence)
                }
            }
            steps.append(StepCandidate(
                timeS: timeOf(absoluteIndex), segmentIndex: segmentIndex, kind: kind, stepPeriodS: stepPeriod,
                nextContactS: nextIndex.map { timeOf(Double(from) + $0) },
                impactPeakG: impactPeak, loadingRateGPerS: loadingRate,
                apMinG: apMin, apMaxG: apMax,
                negativeImpulseGS: negative / rate, positiveImpulseGS: positive / rate,
                sideStatisticRaw: sideStatistic, contactTimeS: contactTime, finalContactS: finalContact,
                contactTimeQuality: contactQuality, peakVerticalForceBW: peakForce, verticalOscillationCm: oscillation,
                strideUp: strideUp, pelvicRotationDeg: rotation, pelvicObliquityDeg: obliquity))
        }
        if forwardAxisRaw == nil || kind.isGait { forwardAxisRaw = forward }
    }

    // MARK: - Sides

    /// Sum over samples `start..<end` of what the pelvis's roll took out of the ML specific force,
    /// f_V sin φ (the clip reads f_ML − f_V sin φ), φ the roll angle about the (raw) forward axis
    /// against its mean over the stride around `contact` (drift removed by the line between the
    /// stride's ends). The raw forward axis may point backwards; ML and φ then both change sign.
    func rollLeak(from start: Int, to end: Int, contact: Int, stepSamples: Float, count n: Int, gravityG: Float) -> Float {
        let strideStart = max(0, contact - Int(stepSamples)), strideEnd = min(n, max(end, contact + Int(stepSamples)))
        let length = Float(max(1, strideEnd - strideStart))
        let first = rollAngle[strideStart], drift = rollAngle[strideEnd] - first
        func detrended(_ i: Int) -> Float { rollAngle[i] - first - drift * Float(i - strideStart) / length }
        var mean: Float = 0
        for i in strideStart..<strideEnd { mean += detrended(i) }
        mean /= length
        var sum: Float = 0
        for i in start..<end {
            let phi = (detrended(i + 1) - mean) * Float.pi / 180
            sum += (vertical[i] + gravityG) * sinf(phi)
        }
        return sum
    }

    // MARK: - Running contact

    /// Fraction of a running contact that has passed when the sacral vertical specific force falls
    /// back through 1 g (the window's mean) at the end of the loaded part of the stance, measured
    /// from the contact's onset. Design choice: 0.73 set the contact time's bias near zero on the
    /// development trials of `gait validate SampleData/realrun` (per-trial ratios 0.68–0.78, one
    /// number for every speed and slope); it now scales each step's loaded part, and the window's
    /// level comes from `loadedLevelS`. A spring-mass sine would fall through body weight later,
    /// at 0.84–0.87 of its contact (Morin et al. 2005, J Appl Biomech 21:167): the real force
    /// unloads more slowly than a sine. Tested by `RunningContactTimeTests`.
    static let loadedFractionOfContact: Float = 0.73

    /// A window's contact-time level from the median of its loaded-part estimates, seconds:
    /// 1.38 × median − 92 ms. Across the development trials of `gait validate SampleData/realrun`
    /// the loaded part follows only part of the contact's change with speed and slope (the
    /// reference's trial medians move 1.38 ms per ms of the estimate's: it reads long at 4.17 m/s,
    /// short at 2.5 m/s), so one fraction leaves per-trial biases of −19 to +16 ms. Design choice:
    /// the line through the 13 development trials' medians (least squares, 188–277 ms of
    /// reference contact); left out one trial at a time it gives per-trial biases of −18 to
    /// +10 ms (SD of the trial biases 7.4 ms, where the fraction alone gives 10.6). It moves the
    /// window's level only: each step keeps its difference from the window's median, so
    /// contact-time asymmetry is the loaded part's. Needs `loadedLevelMinimumSteps` estimates.
    static func loadedLevelS(medianLoadedS: Float) -> Float {
        1.38 * medianLoadedS - 0.092
    }

    /// The reference contact times the line of `loadedLevelS` was fitted over (the development
    /// trials' medians, seconds). A running session whose median contact time falls outside is
    /// measured on the line's extrapolation, and its summary says so (`GaitSummarizer`): a slope
    /// of 1.38 carries any runner-specific error of the loaded part 1.38-fold.
    static let loadedLevelCalibratedRangeS: ClosedRange<Float> = 0.188...0.277

    /// Gaussian width of the lightly smoothed vertical signal (`fine`) on which contacts are
    /// timed, seconds.
    static let fineSigmaS: Float = 0.008

    /// How much wider than `fineSigmaS` the box of `fine` may be for the flight bounds to be timed
    /// on it; where it is wider, they are timed on `edge`, a sampled Gaussian of `fineSigmaS`
    /// (`SignalKernels.gaussianSmooth`). A box's width is odd, so at 100 Hz its three passes make
    /// 8 ms into 14 ms (at 250 Hz, 9.8 ms): on GaitSynth's running at 100 Hz the contact time then
    /// read 6–10 % (17–21 ms) long, on the Gaussian 1.5–3 % (`RunningContactTimeTests`); timed on
    /// the signal unsmoothed, 0.05 g of sensor noise scattered it by 17.5 ms (the Gaussian: 6.3 ms,
    /// the 14 ms box: 3.3 ms). Design choice: 1.2 keeps the box at
    /// 150 Hz (9.4 ms) and 200 Hz (7.1 ms).
    static let edgeSigmaTolerance: Float = 1.2

    /// Fewest loaded-part estimates in a window for its level to be calibrated (`loadedLevelS`).
    static let loadedLevelMinimumSteps = 4

    /// The estimates of one running step's contact time, seconds (see `runningContact`).
    struct RunningContactEstimate: Sendable {
        /// Flight bounds: from the rise out of the flight floor to the fall back into it.
        var flightBoundedS: Float
        /// The flight bounds from the earlier of the two onsets (the rise out of the floor and the
        /// steepest rise's tangent): the longest the contact can be.
        var flightBoundedLongestS: Float
        /// Spring-mass impulse; nil where no sine fits.
        var springMassS: Float?
        /// From the onset (steepest rise's tangent) to the fall through 1 g, over
        /// `loadedFractionOfContact`; nil where the signal does not cross 1 g.
        var loadedS: Float?

        /// The reported contact time: the loaded estimate, never longer than the flight bounds
        /// allow; where it does not exist, the flight bounds moved by `levelOffsetS` (half the
        /// window's median difference from the spring-mass contact).
        func contactS(levelOffsetS: Float) -> Float {
            guard let loadedS else { return flightBoundedS + levelOffsetS }
            return min(loadedS, flightBoundedLongestS)
        }
    }

    /// The physical estimates of one running step's contact time, seconds.
    ///
    /// 1. Flight bounds: the body is airborne when the vertical specific force is down on its
    ///    flight floor (free fall reads ~0 g). Contact runs from the rise out of the floor before
    ///    the stance peak (`flightExitFraction` of the way to the peak) to the fall back into it
    ///    after the peak (`flightEntryFraction`), the floor being the lowest point before and after
    ///    the stance. The sacrum follows the foot with a delay, more at toe-off than at contact,
    ///    and more the faster the runner, so it reads long (below). It bounds the contact from above.
    ///    Timed on `edge`, smoothed by `fineSigmaS` at every rate: a wider smoothing
    ///    spreads the stance into the flight floor and lengthens the bounds.
    /// 2. Spring-mass impulse: the time the force exceeds body weight (specific force > 1 g, a
    ///    steep and well-defined crossing) and the step time give the contact time of a sine-shaped
    ///    vertical force whose impulse over the step equals body weight × step time (Morin et al.
    ///    2005, J Appl Biomech 21:167; Patoz et al. 2021, Front Bioeng Biotechnol 9:687951). Real
    ///    forces are not sine-shaped, so it reads short, the more so the slower the runner; kept for
    ///    the step's `contact_time_quality`.
    /// 3. Loaded part: contact begins where the tangent at the steepest rise out of flight meets the
    ///    flight floor (the sharp rise of contact, Lee, Sutter et al. 2010; low-pass smoothing
    ///    moves a tangent less than a threshold near the floor), and the load falls back through
    ///    body weight at `loadedFractionOfContact` of the contact. Both events are steep crossings
    ///    that the sacrum times well, so this estimate drifts much less with speed and slope than
    ///    the other two, which both read more positive the faster the runner (per-trial biases on
    ///    the development trials: flight bounds +7 to +57 ms and spring-mass −38 to +5 ms in an
    ///    offline replica of these estimators, loaded part −17 to +16 ms in `gait validate`). It is
    ///    the one reported, up to the flight bounds (on a pure spring-mass sine, whose load falls
    ///    later, the flight bounds are).
    func runningContact(top: Int, stepSamples: Float) -> RunningContactEstimate? {
        let n = fine.count
        guard top > 0, top < n - 2, stepSamples > 8 else { return nil }
        let searchStart = max(0, top - Int(0.6 * stepSamples))
        let searchEnd = min(n - 1, top + Int(0.9 * stepSamples))
        guard searchEnd > top + 2 else { return nil }
        var before = top, after = top + 1
        for j in searchStart..<top where fine[j] < fine[before] { before = j }
        for j in (top + 1)...searchEnd where fine[j] < fine[after] { after = j }
        let peak = fine[top]
        guard before < top, after > top, peak > 0 else { return nil }
        // Where the signal crosses `level`, as a fractional index: the last upward crossing before
        // the peak, and the last downward crossing before the flight floor after it.
        func riseCrossing(_ level: Float, in x: [Float] = fine) -> Float? {
            guard x[before] <= level else { return nil }
            var j = top
            while j > before, x[j] > level { j -= 1 }
            guard x[j] <= level, x[j + 1] > level else { return nil }
            return Float(j) + (level - x[j]) / (x[j + 1] - x[j])
        }
        func fallCrossing(_ level: Float, in x: [Float] = fine) -> Float? {
            guard x[after] <= level else { return nil }
            var k = after
            while k > top, x[k] <= level { k -= 1 }
            guard x[k] > level, x[k + 1] <= level else { return nil }
            return Float(k) + (x[k] - level) / (x[k] - x[k + 1])
        }
        // The flight bounds on `edge` (smoothed by `fineSigmaS` itself), at the floors and the
        // peak found on `fine`.
        let rise = configuration.flightExitFraction, fall = configuration.flightEntryFraction
        let x = edgeIsFine ? fine : edge
        guard let onset = riseCrossing(x[before] + rise * (x[top] - x[before]), in: x),
              let end = fallCrossing(x[after] + fall * (x[top] - x[after]), in: x), end > onset else { return nil }
        // The tangent at the steepest rise between the floor and the peak, back to the floor: on
        // `fine` for the loaded part, on `edge` for the flight bounds' longest reading.
        func tangent(in x: [Float]) -> Float {
            var steepest = before, steepestRise: Float = 0
            for j in before..<top where x[j + 1] - x[j] > steepestRise {
                steepestRise = x[j + 1] - x[j]
                steepest = j
            }
            guard steepestRise > 0 else { return onset }
            let middle = 0.5 * (x[steepest] + x[steepest + 1])
            return max(Float(before), Float(steepest) + 0.5 - (middle - x[before]) / steepestRise)
        }
        let tangentOnset = tangent(in: fine)
        let edgeTangentOnset = edgeIsFine ? tangentOnset : tangent(in: x)
        var springMass: Float?, loaded: Float?
        let down = fallCrossing(0)
        if let up = riseCrossing(0), let down, down > up {
            springMass = Self.springMassContactTimeS(effectiveContactS: (down - up) / rateHz, stepTimeS: stepSamples / rateHz)
        }
        if let down, down > tangentOnset {
            loaded = (down - tangentOnset) / rateHz / Self.loadedFractionOfContact
        }
        return RunningContactEstimate(
            flightBoundedS: (end - onset) / rateHz, flightBoundedLongestS: (end - min(onset, edgeTangentOnset)) / rateHz,
            springMassS: springMass, loadedS: loaded)
    }

    /// Peak vertical ground reaction force (body weights, an estimate) of a sine-shaped force that
    /// lasts `contactTimeS` and whose impulse over the step equals body weight × `stepTimeS`:
    /// (2/π) F_max t_c = T, so F_max = (π/2) T / t_c (whole-body impulse–momentum; Morin et al.
    /// 2005, J Appl Biomech 21:167; Alcantara et al. 2021, PeerJ 9:e11199).
    ///
    /// A running step passes its reported contact time (see `runningContact`): with the loaded-part
    /// estimate the trial medians of the peak track the force plate with r 0.89 on the development
    /// trials of `SampleData/realrun` (bias −0.07 BW, SD 0.13 BW), where the spring-mass contact of
    /// the time above 1 g gave 0.85 (bias +0.12 BW, SD 0.22 BW) and the flight bounds levelled by
    /// half the spring-mass difference 0.78.
    static func peakVerticalForceBW(contactTimeS: Float, stepTimeS: Float) -> Float {
        Float.pi / 2 * stepTimeS / contactTimeS
    }

    /// Contact time t_c (s) of a sine-shaped vertical force that exceeds body weight for
    /// `effectiveContactS` and whose impulse over `stepTimeS` is body weight × step time: the root
    /// of cos(π t_eff / 2 t_c) = 2 t_c / (π T) in (t_eff, T), by bisection; nil if there is none.
    static func springMassContactTimeS(effectiveContactS te: Float, stepTimeS stepT: Float) -> Float? {
        guard te > 0, stepT > te else { return nil }
        func g(_ x: Float) -> Float { cosf(Float.pi * te / (2 * x)) - 2 * x / (Float.pi * stepT) }
        var lo = te * 1.0001, hi = stepT
        guard g(lo) < 0, g(hi) > 0 else { return nil }
        for _ in 0..<40 {
            let mid = 0.5 * (lo + hi)
            if g(mid) < 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    // MARK: - Pieces

    /// Smooths `vertical` into `output` and `secondOutput` with three box passes each
    /// (≈ Gaussian, zero phase), of widths `width` and `secondWidth`; the two run side by side.
    mutating func smoothThreePasses(width: Int, into output: inout [Float], width secondWidth: Int, into secondOutput: inout [Float]) {
        let n = vertical.count
        resize(&sortScratch, n)
        resize(&secondScratch, n)
        vertical.withUnsafeBufferPointer { v in
        output.withUnsafeMutableBufferPointer { o in
        secondOutput.withUnsafeMutableBufferPointer { o2 in
        sortScratch.withUnsafeMutableBufferPointer { t in
        secondScratch.withUnsafeMutableBufferPointer { t2 in
            SignalKernels.boxSmooth(v, width: width, output: o, v, width: secondWidth, output: o2)
            SignalKernels.boxSmooth(UnsafeBufferPointer(o), width: width, output: t,
                                    UnsafeBufferPointer(o2), width: secondWidth, output: t2)
            SignalKernels.boxSmooth(UnsafeBufferPointer(t), width: width, output: o,
                                    UnsafeBufferPointer(t2), width: secondWidth, output: o2)
        }}}}}
    }

    /// The vertical signal smoothed by a sampled Gaussian into `edge`.
    mutating func smoothGaussian(sigmaSamples: Float) {
        resize(&edge, vertical.count)
        let taps = 2 * SignalKernels.gaussianRadius(sigmaSamples: sigmaSamples) + 1
        resize(&edgeWeights, taps)
        vertical.withUnsafeBufferPointer { v in
        edge.withUnsafeMutableBufferPointer { o in
        edgeWeights.withUnsafeMutableBufferPointer { w in
            SignalKernels.gaussianSmooth(v, sigmaSamples: sigmaSamples, output: o, weights: w)
        }}}
    }

    func resize(_ a: inout [Float], _ n: Int) {
        if a.count != n { a = [Float](repeating: 0, count: n) }
    }

    /// Step period (s) and the autocorrelation at the step and stride lags, from the vertical
    /// acceleration decimated to about 25 Hz (the lag is refined by parabolic interpolation).
    mutating func estimateStepPeriod(count n: Int) -> (Float, Float, Float) {
        let m = max(1, Int((rateHz / 25).rounded()))
        let dn = n / m
        resize(&decimated, dn)
        vertical.withUnsafeBufferPointer { v in
            decimated.withUnsafeMutableBufferPointer { d in
                for j in 0..<dn {
                    var s: Float = 0
                    for k in 0..<m { s += v[j * m + k] }
                    d[j] = s / Float(m)
                }
            }
        }
        let decimatedRate = rateHz / Float(m)
        let lagMin = max(2, Int(0.25 * decimatedRate))
        let lagMax = min(dn / 2, Int(2.2 * decimatedRate))
        guard lagMax > lagMin + 2 else { return (0, 0, 0) }
        resize(&correlations, lagMax + 2)
        correlations.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        let lastLag = min(lagMax + 1, dn - 1)
        if lastLag >= lagMin - 1 {
            decimated.withUnsafeBufferPointer { d in
                correlations.withUnsafeMutableBufferPointer { c in
                    SignalKernels.autocorrelations(d, lags: (lagMin - 1)...lastLag, into: c)
                }
            }
        }
        let r = correlations
        func isPeak(_ l: Int) -> Bool { l > lagMin - 1 && l < lagMax + 1 && r[l] >= r[l - 1] && r[l] >= r[l + 1] }
        var best = -1
        for l in lagMin...lagMax where isPeak(l) && (best < 0 || r[l] > r[best]) { best = l }
        guard best > 0, r[best] > 0.1 else { return (0, 0, 0) }
        func peakNear(_ centre: Float, tolerance: Float) -> Int? {
            let lo = max(lagMin, Int((centre * (1 - tolerance)).rounded(.down)))
            let hi = min(lagMax, Int((centre * (1 + tolerance)).rounded(.up)))
            guard hi >= lo else { return nil }
            var found: Int?
            for l in lo...hi where isPeak(l) && (found == nil || r[l] > r[found!]) { found = l }
            return found
        }
        // A regular gait correlates at every multiple of the step; the shortest lag that
        // correlates nearly as well as the best is the fundamental (step or stride).
        for l in lagMin...lagMax where isPeak(l) && r[l] >= 0.85 * r[best] {
            best = l
            break
        }
        var stepLag = best
        var strideLag: Int?
        if let half = peakNear(Float(best) / 2, tolerance: 0.2), r[half] > 0.3 * r[best], r[half] > 0.15 {
            stepLag = half
            strideLag = best
        } else {
            strideLag = peakNear(Float(best) * 2, tolerance: 0.2)
        }
        // Parabolic refinement of the step lag.
        var refined = Float(stepLag)
        let a = r[stepLag - 1], b = r[stepLag], c = r[stepLag + 1]
        let denominator = a - 2 * b + c
        if denominator < 0 { refined += 0.5 * (a - c) / denominator }
        return (refined / decimatedRate, r[stepLag], strideLag.map { r[$0] } ?? 0)
    }

    /// Activity of a window from its intensity, step frequency and flight.
    ///
    /// Running is told from walking by flight: a body in the air reads ~0 g, and walking never
    /// reads below ~0.6 g vertically. A sacral sensor in flight still reads the pelvis's own
    /// rotation and sway (on real treadmill running, 0.2–1.0 g along the forward axis), so the
    /// vertical specific force alone marks flight, alongside the magnitude near 0 g. Above
    /// `runningMinimumCadenceSpm` nobody walks, so a regular gait that fast is running with short
    /// flight phases (2.5 % of the window in flight), as long as it is vigorous
    /// (`runningMinimumVerticalSDG`). (The window's mean is no test of a worn clip: on the real
    /// treadmill running of `SampleData/realrun` it reads 1.18–1.38 g.)
    mutating func classify(verticalSD: Float, stepPeriodS: Float, stepRegularity: Float, count n: Int, gravityG: Float) -> ActivityKind {
        if verticalSD < 0.04 { return .standing }
        guard stepPeriodS > 0, stepRegularity > 0.2 else { return .other }
        let cadence = 60 / stepPeriodS
        let g = gravityG
        let flightLevel = configuration.flightVerticalLevelG
        var inFlight = 0
        // The mean specific force of each half of the window (in the window's up/e1/e2 frame).
        var first = Vector3(0, 0, 0), second = Vector3(0, 0, 0)
        func scan(_ range: Range<Int>, into mean: inout Vector3) {
            for i in range {
                let v = vertical[i] + g
                if v < flightLevel || v * v + horizontal1[i] * horizontal1[i] + horizontal2[i] * horizontal2[i] < 0.2 { inFlight += 1 }
                mean = mean + Vector3(v, horizontal1[i], horizontal2[i])
            }
        }
        scan(0..<(n / 2), into: &first)
        scan((n / 2)..<n, into: &second)
        // A clip worn at the pelvis keeps its tilt through a window of running; one turned over or
        // re-seated in the hand does not (and its shaking can be regular and vigorous).
        let halves = first.length * second.length
        let steady = halves > 0 && first.dot(second) / halves > cosf(configuration.runningMaximumTiltChangeDeg * Float.pi / 180)
        if steady, cadence >= configuration.runningMinimumCadenceSpm, cadence <= 250,
           verticalSD >= configuration.runningMinimumVerticalSDG, inFlight >= n / 40 { return .running }
        if steady, cadence >= 120, cadence <= 250, inFlight >= n / 12 { return .running }
        // Walking is decided step by step afterwards (`findWalking`), not from the whole window.
        return .other
    }

    /// The dominant direction of horizontal acceleration once the stride-periodic (ML) part is
    /// cancelled by adding the signal one step later; its sign continues the previous window's.
    ///
    /// The clip is fixed to the pelvis, so the forward axis barely moves in sensor coordinates:
    /// the covariance is accumulated over the gait windows so far (older windows fading), which
    /// keeps turns and irregular steps from swinging the axis and flipping its sign.
    mutating func estimateForwardAxis(count n: Int, lag: Int, e1: Vector3, e2: Vector3) -> Vector3 {
        var c11: Float = 0, c22: Float = 0, c12: Float = 0
        if lag > 0, lag < n {
            for i in 0..<(n - lag) {
                let s1 = horizontal1[i] + horizontal1[i + lag]
                let s2 = horizontal2[i] + horizontal2[i + lag]
                c11 += s1 * s1
                c22 += s2 * s2
                c12 += s1 * s2
            }
            let scale = 1 / Float(n - lag)
            c11 *= scale
            c22 *= scale
            c12 *= scale
        }
        // Window covariance in sensor coordinates: E1 c11 E1ᵀ + E2 c22 E2ᵀ + c12 (E1 E2ᵀ + E2 E1ᵀ).
        var window = SymmetricMatrix3()
        window.addOuter(e1, e1, c11)
        window.addOuter(e2, e2, c22)
        window.addOuter(e1, e2, c12)
        window.addOuter(e2, e1, c12)
        forwardCovariance = forwardCovariance.scaled(0.8).adding(window)
        let a11 = forwardCovariance.quadratic(e1, e1), a22 = forwardCovariance.quadratic(e2, e2)
        let a12 = forwardCovariance.quadratic(e1, e2)
        let angle = 0.5 * atan2f(2 * a12, a11 - a22)
        var axis = (e1 * cosf(angle) + e2 * sinf(angle)).normalized
        if let previous = forwardAxisRaw, axis.dot(previous) < 0 { axis = -axis }
        return axis
    }

    /// Step peaks: local maxima of the smoothed vertical acceleration above 30% of its 95th
    /// percentile, at least 0.6 step periods apart (strongest first).
    mutating func findStepPeaks(count n: Int, periodSamples: Float) -> [Int] {
        resize(&sortScratch, n)
        smooth.withUnsafeBufferPointer { values in
            sortScratch.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: values.baseAddress!, count: n) }
        }
        let p95 = sortScratch.withUnsafeMutableBufferPointer { SignalKernels.selectInPlace($0, k: n * 95 / 100) }
        let threshold = 0.3 * max(p95, 0.02)
        var candidates: [Int] = []
        for i in 1..<(n - 1) where smooth[i] > threshold && smooth[i] >= smooth[i - 1] && smooth[i] > smooth[i + 1] {
            candidates.append(i)
        }
        candidates.sort { smooth[$0] > smooth[$1] }
        let minimumSpacing = Int(0.6 * periodSamples)
        var accepted: [Int] = []
        for c in candidates where !accepted.contains(where: { abs($0 - c) < minimumSpacing }) {
            accepted.append(c)
        }
        accepted.sort()
        return accepted
    }

    /// Mean slope from 20% to 80% of the rise from contact to the impact peak, g/s.
    func loadingRateGPerS(contact: Double, peak: Int) -> Float? {
        let start = Int(contact.rounded(.down))
        guard peak > start + 1, start >= 0 else { return nil }
        let base = vertical[start], top = vertical[peak]
        let rise = top - base
        guard rise > 0.05 else { return nil }
        func crossing(_ level: Float) -> Float? {
            for i in start..<peak where vertical[i] < level && vertical[i + 1] >= level {
                return Float(i) + (level - vertical[i]) / (vertical[i + 1] - vertical[i])
            }
            return nil
        }
        guard let t20 = crossing(base + 0.2 * rise), let t80 = crossing(base + 0.8 * rise) else { return nil }
        let dt = max(t80 - t20, 0.25) / rateHz
        return 0.6 * rise / dt
    }

    /// Peak-to-peak vertical displacement over one step, cm: the vertical acceleration is
    /// de-meaned over the step (the step starts and ends at the same vertical velocity), integrated
    /// twice, and the displacement detrended so it also returns to its start.
    ///
    /// The second integration's positions are kept, so the detrending is a pass over them (four at
    /// a time) rather than a third integration; the extremes do not depend on the order in which
    /// they are taken (a position starts at +0 and only has finite numbers added, so neither it nor
    /// its detrended value is ever -0; NaNs are skipped either way).
    mutating func verticalExcursionCm(from start: Int, to end: Int) -> Float {
        let count = end - start
        resize(&positionScratch, vertical.count)
        let dt = 1 / rateHz
        return vertical.withUnsafeBufferPointer { vertical in
            positionScratch.withUnsafeMutableBufferPointer { positions in
                var mean: Float = 0
                for i in start..<end { mean += vertical[i] }
                mean /= Float(count)
                var velocity: Float = 0, velocitySum: Float = 0
                // First pass: mean velocity (removed so that displacement does not drift).
                for i in start..<end {
                    velocity += (vertical[i] - mean) * standardGravityMPS2 * dt
                    velocitySum += velocity
                }
                let meanVelocity = velocitySum / Float(count)
                velocity = 0
                var position: Float = 0
                // Second pass: displacement, and its end position for linear detrending.
                for k in 0..<count {
                    velocity += (vertical[start + k] - mean) * standardGravityMPS2 * dt
                    position += (velocity - meanVelocity) * dt
                    positions[k] = position
                }
                let finalPosition = position
                let samples = Float(count)
                var low0: Float = 0, low1: Float = 0, low2: Float = 0, low3: Float = 0
                var high0: Float = 0, high1: Float = 0, high2: Float = 0, high3: Float = 0
                var sampleNumber = SIMD4<Float>(1, 2, 3, 4)
                var k = 0
                while k + 4 <= count {
                    let value = UnsafeRawPointer(positions.baseAddress! + k).loadUnaligned(as: SIMD4<Float>.self)
                    let detrended = value - finalPosition * sampleNumber / samples
                    low0 = min(low0, detrended[0]); high0 = max(high0, detrended[0])
                    low1 = min(low1, detrended[1]); high1 = max(high1, detrended[1])
                    low2 = min(low2, detrended[2]); high2 = max(high2, detrended[2])
                    low3 = min(low3, detrended[3]); high3 = max(high3, detrended[3])
                    sampleNumber += 4
                    k += 4
                }
                var minimum = min(min(min(low0, low1), low2), low3)
                var maximum = max(max(max(high0, high1), high2), high3)
                while k < count {
                    let detrended = positions[k] - finalPosition * Float(k + 1) / samples
                    minimum = min(minimum, detrended)
                    maximum = max(maximum, detrended)
                    k += 1
                }
                return (maximum - minimum) * 100
            }
        }
    }

    /// Integrates the angular rate about the vertical (yaw) and forward (roll) axes over the
    /// window once, so each stride's range is one pass over two arrays.
    mutating func integrateRotation(segment: SegmentBuffer, offset: Int, count n: Int, up: Vector3, forward: Vector3) {
        resize(&yawAngle, n + 1)
        resize(&rollAngle, n + 1)
        let dt = 1 / rateHz
        var yaw: Float = 0, roll: Float = 0
        yawAngle[0] = 0
        rollAngle[0] = 0
        for i in 0..<n {
            let j = offset + i
            let x = segment.gx[j], y = segment.gy[j], z = segment.gz[j]
            yaw += (x * up.x + y * up.y + z * up.z) * dt
            roll += (x * forward.x + y * forward.y + z * forward.z) * dt
            yawAngle[i + 1] = yaw
            rollAngle[i + 1] = roll
        }
    }

    /// Peak-to-peak of an integrated angle over samples start..<end, after removing the straight
    /// line from its start to its end (gyroscope drift; over a stride the true angle returns), degrees.
    ///
    /// Four samples at a time: each detrended value is computed exactly as one at a time, and the
    /// extremes do not depend on the order in which they are taken (no value is -0: the running
    /// angle starts at +0 and only has finite numbers added, so it is never -0, nor is a
    /// difference of it; NaNs are skipped either way).
    func rangeDeg(_ angle: [Float], from start: Int, to end: Int) -> Float {
        let samples = end - start
        let count = Float(samples)
        let base = angle[start]
        let total = angle[end] - base
        return angle.withUnsafeBufferPointer { a in
            let values = a.baseAddress! + start + 1
            // One running extreme per lane, so that no chain of comparisons waits on the last.
            var low0: Float = 0, low1: Float = 0, low2: Float = 0, low3: Float = 0
            var high0: Float = 0, high1: Float = 0, high2: Float = 0, high3: Float = 0
            var position = SIMD4<Float>(1, 2, 3, 4)
            var k = 0
            while k + 4 <= samples {
                let value = UnsafeRawPointer(values + k).loadUnaligned(as: SIMD4<Float>.self)
                let detrended = value - base - total * position / count
                low0 = min(low0, detrended[0]); high0 = max(high0, detrended[0])
                low1 = min(low1, detrended[1]); high1 = max(high1, detrended[1])
                low2 = min(low2, detrended[2]); high2 = max(high2, detrended[2])
                low3 = min(low3, detrended[3]); high3 = max(high3, detrended[3])
                position += 4
                k += 4
            }
            var minimum = min(min(min(low0, low1), low2), low3)
            var maximum = max(max(max(high0, high1), high2), high3)
            while k < samples {
                let detrended = values[k] - base - total * Float(k + 1) / count
                minimum = min(minimum, detrended)
                maximum = max(maximum, detrended)
                k += 1
            }
            return maximum - minimum
        }
    }

}

/// A symmetric 3×3 matrix (covariance) in sensor coordinates.
struct SymmetricMatrix3: Sendable {
    var xx: Float = 0, xy: Float = 0, xz: Float = 0, yy: Float = 0, yz: Float = 0, zz: Float = 0

    /// Adds `w · (a bᵀ + b aᵀ) / 2`, the symmetric part of the outer product.
    mutating func addOuter(_ a: Vector3, _ b: Vector3, _ w: Float) {
        xx += w * a.x * b.x
        yy += w * a.y * b.y
        zz += w * a.z * b.z
        xy += w * 0.5 * (a.x * b.y + a.y * b.x)
        xz += w * 0.5 * (a.x * b.z + a.z * b.x)
        yz += w * 0.5 * (a.y * b.z + a.z * b.y)
    }

    func scaled(_ s: Float) -> SymmetricMatrix3 {
        SymmetricMatrix3(xx: xx * s, xy: xy * s, xz: xz * s, yy: yy * s, yz: yz * s, zz: zz * s)
    }

    func adding(_ o: SymmetricMatrix3) -> SymmetricMatrix3 {
        SymmetricMatrix3(xx: xx + o.xx, xy: xy + o.xy, xz: xz + o.xz, yy: yy + o.yy, yz: yz + o.yz, zz: zz + o.zz)
    }

    /// aᵀ M b.
    func quadratic(_ a: Vector3, _ b: Vector3) -> Float {
        a.x * (xx * b.x + xy * b.y + xz * b.z) + a.y * (xy * b.x + yy * b.y + yz * b.z) + a.z * (xz * b.x + yz * b.y + zz * b.z)
    }
}
