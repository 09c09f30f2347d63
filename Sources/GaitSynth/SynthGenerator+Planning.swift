import Foundation

/// The activity plan: which unit (step or stretch of standing) comes next, with its parameters,
/// ramps and fatigue, and its ground truth.
extension SynthGenerator {
    /// Plans and renders the next unit; false when the session is over.
    mutating func startNextUnit() -> Bool {
        while true {
            guard segmentIndex < config.segments.count else { return false }
            let segment = config.segments[segmentIndex]
            let segmentEndS = segmentEndsS[segmentIndex]
            if segment.kind == .standing {
                let remaining = segmentEndS - unitStartS
                if remaining <= 1e-9 {
                    closeSegment()
                    continue
                }
                // Stand in units of about a second: bounded buffers, no tiny last unit.
                let duration = remaining < 1.25 ? remaining : 1.0
                unit = .standing(startS: unitStartS, durationS: duration, side: nextSide)
                unitStartS += duration
                renderUnit()
                return true
            }
            guard let step = planStep(segment: segment, segmentEndS: segmentEndS) else {
                closeSegment()
                continue
            }
            unit = step
            unitStartS += step.durationS
            segmentStepCount += 1
            segmentStepTimeSumS += step.durationS
            steps.append(groundTruth(of: step, speedMps: segment.speedMps))
            renderUnit()
            return true
        }
    }

    private mutating func closeSegment() {
        let segment = config.segments[segmentIndex]
        if unitStartS > segmentStartS {
            let cadence = segmentStepCount > 0 ? 60 * Double(segmentStepCount) / segmentStepTimeSumS : 0
            bouts.append(SynthBout(startS: segmentStartS, endS: unitStartS, kind: segment.kind,
                                   cadenceSpm: cadence, stepCount: segmentStepCount))
        }
        previousKind = segment.kind
        previousCadenceSpm = segment.cadenceSpm
        previousEffort = segment.effort
        segmentIndex += 1
        segmentStartS = unitStartS
        segmentStepCount = 0
        segmentStepTimeSumS = 0
    }

    /// The next step of a walking or running segment, or nil when the segment is over (the next
    /// contact is nearer its nominal end than half a step).
    private mutating func planStep(segment: SynthSegment, segmentEndS: Double) -> GaitUnit? {
        let c = config
        let targetRunWeight = segment.kind == .running ? 1.0 : 0.0
        // Ramp in from the previous segment over the first `transitionSteps` steps.
        let ramp = c.transitionSteps
        let k = segmentStepCount
        let f = ramp > 0 && k < ramp ? Double(k + 1) / Double(ramp + 1) : 1
        let fromStanding = previousKind == .standing
        let startIntensity = fromStanding ? 0.0 : 1.0
        let startCadence = fromStanding ? segment.cadenceSpm : previousCadenceSpm
        let startRunWeight = fromStanding ? targetRunWeight : (previousKind == .running ? 1.0 : 0.0)
        var intensity = startIntensity + (1 - startIntensity) * f
        let runWeight = startRunWeight + (targetRunWeight - startRunWeight) * f
        // Effort ramps only between running segments: walking and standing have none, so a run starts at
        // its own effort and the running part of a ramp into walking keeps the previous run's.
        let startEffort = previousKind == .running ? previousEffort : segment.effort
        let targetEffort = segment.kind == .running ? segment.effort : startEffort
        let effort = startEffort + (targetEffort - startEffort) * f
        let hours = max(0, unitStartS - c.fatigueOnsetS) / 3600
        let cadence = (startCadence + (segment.cadenceSpm - startCadence) * f) * (1 + c.cadenceDriftPctPerHour * hours / 100)
        let nominalStepS = 60 / cadence
        if unitStartS + 0.5 * nominalStepS > segmentEndS { return nil }
        // Ramp out into standing (or the end of the session) over the last `transitionSteps` steps.
        let nextIsStill = segmentIndex + 1 >= c.segments.count || c.segments[segmentIndex + 1].kind == .standing
        if nextIsStill && ramp > 0 {
            let stepsLeft = max(((segmentEndS - unitStartS) / nominalStepS).rounded(), 1)
            if stepsLeft <= Double(ramp) { intensity = min(intensity, stepsLeft / Double(ramp + 1)) }
        }

        let side = nextSide
        nextSide = side.opposite
        func sided(_ asymmetryPct: Double) -> Double {
            side == .left ? 1 + asymmetryPct / 200 : 1 - asymmetryPct / 200
        }
        func grown(_ asymmetryPct: Double, byPctPerHour drift: Double) -> Double {
            min(max(asymmetryPct + drift * hours, -100), 100)
        }
        var stepS = nominalStepS * sided(grown(c.stepTimeAsymmetryPct, byPctPerHour: c.stepTimeAsymmetryDriftPctPerHour))
        if c.stepTimeJitterPct > 0 {
            stepS *= max(0.5, 1 + c.stepTimeJitterPct / 100 * stepRandom.nextGaussian())
        }
        let impactScale = (1 + c.impactDriftPctPerHour * hours / 100)
            * sided(grown(c.impactAsymmetryPct, byPctPerHour: c.impactAsymmetryDriftPctPerHour))
        let sign = side == .left ? 1.0 : -1.0

        var u = GaitUnit(startS: unitStartS, durationS: stepS, isStep: true, side: side, activity: segment.kind,
                         intensity: intensity, runWeight: runWeight)
        // Running: a half-sine active bump plus a raised-cosine impact transient, sized so that the
        // reading at the impact peak is `impactPeakG` and the step mean is 1 g (impulse balance).
        // The floor keeps a long negative drift from reaching zero contact, where the impulse balance fails.
        let nominalContactS = c.contactTimeS * max(1 + c.contactTimeDriftPctPerHour * hours / 100, 0.1)
        let contactS = min(nominalContactS * sided(c.contactTimeAsymmetryPct), 0.85 * stepS)
        let riseS = min(c.impactRiseTimeS, 0.4 * contactS)
        let decayS = min(max(0.6 * riseS, 0.008), 0.3 * contactS)
        let pulseAreaS = 0.5 * (riseS + decayS)
        let bumpAtPeak = sin(Double.pi * riseS / contactS)
        // Effort scales the excess above 1 g; at effort 1 the configured peak is used as is, so that
        // sessions without effort stay bit-identical to those made before it existed.
        let effortPeakG = effort == 1 ? c.impactPeakG : 1 + (c.impactPeakG - 1) * effort
        let peakG = effortPeakG * impactScale
        var bumpG = (stepS - peakG * pulseAreaS) / (2 * contactS / Double.pi - bumpAtPeak * pulseAreaS)
        var pulseG = peakG - bumpG * bumpAtPeak
        if pulseG < 0 || bumpG < 0 {
            pulseG = 0
            bumpG = stepS * Double.pi / (2 * contactS)
        }
        u.contactS = contactS
        u.riseS = riseS
        u.decayS = decayS
        u.bumpG = bumpG
        u.pulseG = pulseG
        // AP: braking over the first 45 % of stance, propulsion after, zero net impulse.
        u.brakingFraction = 0.45
        u.brakingG = c.brakingPeakG * max(1 + c.brakingDriftPctPerHour * hours / 100, 0) * effort
        u.propulsionG = u.brakingG * u.brakingFraction / (1 - u.brakingFraction)
        // ML: towards +ML (right) during a left stance; equal impulse per side so the stride mean is 0.
        u.mediolateralRunG = sign * c.mediolateralPeakG * nominalContactS / contactS
        // Walking.
        u.walkVerticalG = c.walkingVerticalPeakG * impactScale
        u.walkAnteroposteriorG = c.walkingBrakingPeakG
        u.mediolateralWalkG = sign * c.walkingMediolateralPeakG * nominalStepS / stepS
        // Pelvis.
        let radians = Double.pi / 180
        u.yawRad = c.pelvicRotationDeg * radians * intensity
        u.rollRad = c.pelvicDropDeg * radians * intensity
        u.tiltRad = c.pelvicTiltDeg * radians * intensity
        u.stridePhaseStart = side == .left ? 0 : 0.5
        u.leanRad = (c.leanDeg + c.leanDriftDegPerHour * hours) * intensity * radians
        u.prepare()
        return u
    }

    /// Ground truth of a step, from its continuous model (not the sample grid).
    private func groundTruth(of u: GaitUnit, speedMps: Double) -> SynthStep {
        let shapes = GaitShapes.shared
        return shapes.sine.withUnsafeBufferPointer { sine in
            shapes.walkVertical.withUnsafeBufferPointer { walkV in
                shapes.walkAnteroposterior.withUnsafeBufferPointer { walkAP in
                    func level(_ tau: Double) -> (Double, Double, Double) {
                        u.level(tau, sine: sine, walkV: walkV, walkAP: walkAP)
                    }
                    let runWindowS = u.runWeight > 0 ? min(u.riseS + u.decayS + 0.01, u.contactS) : 0
                    let walkWindowS = u.runWeight < 1 ? 0.35 * u.durationS : 0
                    let impactWindowS = max(runWindowS, walkWindowS)
                    let (peakS, peakG) = Self.extremum(over: impactWindowS) { level($0).0 }
                    let brakingWindowS = max(u.runWeight > 0 ? 0.7 * u.contactS : 0, walkWindowS)
                    let minAP = min(0, -Self.extremum(over: brakingWindowS) { -level($0).2 }.value)
                    // Vertical oscillation: double integration with the step mean removed from
                    // acceleration and velocity, so both are periodic over the step.
                    let n = 48
                    let dt = u.durationS / Double(n)
                    var accel = [Double](repeating: 0, count: n)
                    for i in 0..<n { accel[i] = (level((Double(i) + 0.5) * dt).0 - 1) * 9.806_65 }
                    let meanAccel = accel.reduce(0, +) / Double(n)
                    var velocity = [Double](repeating: 0, count: n)
                    var v = 0.0
                    for i in 0..<n { v += (accel[i] - meanAccel) * dt; velocity[i] = v }
                    let meanVelocity = velocity.reduce(0, +) / Double(n)
                    var z = 0.0, zMin = 0.0, zMax = 0.0
                    for i in 0..<n {
                        z += (velocity[i] - meanVelocity) * dt
                        zMin = min(zMin, z); zMax = max(zMax, z)
                    }
                    let asym = config.contactTimeAsymmetryPct
                    let sided = u.side == .left ? 1 + asym / 200 : 1 - asym / 200
                    let contactS = u.runWeight >= 0.5 ? u.contactS : 1.24 * (60 / nominalCadence(u)) * sided
                    return SynthStep(
                        initialContactS: u.startS, side: u.side, stepTimeS: u.durationS, contactTimeS: contactS,
                        impactPeakG: peakG, impactPeakDelayS: peakS,
                        loadingRateGPerS: peakS > 0 ? (peakG - level(0).0) / peakS : 0,
                        brakingPeakG: -minAP, verticalOscillationCm: (zMax - zMin) * 100,
                        activity: u.activity, leanDeg: u.leanRad * 180 / Double.pi,
                        pelvicDropDeg: u.rollRad * 180 / Double.pi, pelvicRotationDeg: 2 * u.yawRad * 180 / Double.pi,
                        speedMps: speedMps, stepLengthM: speedMps * u.durationS, intensity: u.intensity)
                }
            }
        }
    }

    /// The maximum of `f` over [0, windowS] and where it is: a 24-point scan refined by a 12-point
    /// scan around the best point (resolution window / 144, 0.4 ms for a running impact).
    private static func extremum(over windowS: Double, _ f: (Double) -> Double) -> (at: Double, value: Double) {
        var best = (at: 0.0, value: f(0))
        let coarse = windowS / 24
        for i in 1...24 {
            let t = coarse * Double(i)
            let v = f(t)
            if v > best.value { best = (t, v) }
        }
        let centre = best.at
        for i in -6...6 where i != 0 {
            let t = centre + coarse * Double(i) / 6
            guard t >= 0 && t <= windowS else { continue }
            let v = f(t)
            if v > best.value { best = (t, v) }
        }
        return best
    }

    /// The segment's cadence for the walking contact-time estimate (steps/min).
    private func nominalCadence(_ u: GaitUnit) -> Double {
        let segment = config.segments[min(segmentIndex, config.segments.count - 1)]
        return segment.cadenceSpm > 0 ? segment.cadenceSpm : 60 / u.durationS
    }
}
