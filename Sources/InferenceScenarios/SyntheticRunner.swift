import GaitSynth

/// A synthetic runner: the gait, asymmetry, posture, mounting and sensor of one person and clip,
/// drawn at random within healthy ranges, from which sessions are planned.
public struct SyntheticRunner: Sendable, Equatable {
    /// Running cadence, steps/min.
    public var cadenceSpm: Double
    /// Running speed, m/s.
    public var speedMps: Double
    /// The GaitSynth gait parameters (impact, braking, contact, lean, noise, mounting…); segments and seed are set per session.
    public var gait: SynthConfig

    /// A healthy runner: cadence 160–188 steps/min, impact 2.4–3.6 g, braking 0.5–0.85 g, contact
    /// 0.21–0.28 s, natural asymmetry within ±1.5 % (timing) and ±4 % (impact), lean 2–10°, any clip
    /// orientation, 50–200 Hz, noise 0.005–0.03 g, with or without a gyroscope.
    public static func healthy(seed: UInt64) -> SyntheticRunner {
        var rng = SynthRandom(seed: seed, stream: 0x52_554E)
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
        var gait = SynthConfig()
        gait.sampleRateHz = [50, 100, 100, 104, 200][Int(rng.nextUnit() * 5) % 5]
        gait.impactPeakG = uniform(2.4, 3.6)
        gait.impactRiseTimeS = uniform(0.015, 0.03)
        gait.brakingPeakG = uniform(0.5, 0.85)
        gait.contactTimeS = uniform(0.21, 0.28)
        gait.mediolateralPeakG = uniform(0.3, 0.55)
        gait.stepTimeAsymmetryPct = uniform(-1.5, 1.5)
        gait.impactAsymmetryPct = uniform(-4, 4)
        gait.contactTimeAsymmetryPct = uniform(-2, 2)
        gait.leanDeg = uniform(2, 10)
        gait.pelvicRotationDeg = uniform(4, 9)
        gait.pelvicDropDeg = uniform(2.5, 5.5)
        gait.noiseG = uniform(0.005, 0.03)
        gait.stepTimeJitterPct = uniform(1, 3)
        gait.includeGyro = rng.nextUnit() < 0.8
        gait.mountRotation = .random(seed: rng.next())
        gait.firstSide = rng.nextUnit() < 0.5 ? .left : .right
        return SyntheticRunner(cadenceSpm: uniform(160, 188), speedMps: uniform(2.5, 4.0), gait: gait)
    }

    /// The session configuration for `segments` with this runner's gait.
    public func config(segments: [SynthSegment], seed: UInt64) -> SynthConfig {
        var config = gait
        config.segments = segments
        config.seed = seed
        return config
    }

    /// A running segment at the runner's cadence and speed.
    public func running(durationS: Double, effort: Double = 1) -> SynthSegment {
        .running(durationS: durationS, cadenceSpm: cadenceSpm, speedMps: speedMps, effort: effort)
    }

    /// A healthy session plan: a warm-up (a 3–5 min walk, or 3–5 min of easy jogging at 95 % of the
    /// cadence and 75–85 % effort), a run of `runS` seconds, sometimes a traffic-light stop in it,
    /// sometimes a cool-down walk.
    public func healthyPlan(runS: Double, seed: UInt64, warmUp: Bool = true) -> [SynthSegment] {
        var rng = SynthRandom(seed: seed, stream: 0x504C_414E)
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
        var plan: [SynthSegment] = []
        if warmUp {
            if rng.nextUnit() < 0.5 {
                plan.append(.walking(durationS: uniform(180, 300), cadenceSpm: uniform(105, 118), speedMps: 1.4))
            } else {
                plan.append(.running(durationS: uniform(180, 300), cadenceSpm: cadenceSpm * 0.95, speedMps: speedMps * 0.8,
                                     effort: uniform(0.75, 0.85)))
            }
        }
        if rng.nextUnit() < 0.3 {
            let first = runS * uniform(0.3, 0.7)
            plan += [running(durationS: first), .standing(durationS: uniform(30, 90)), running(durationS: runS - first)]
        } else {
            plan.append(running(durationS: runS))
        }
        if rng.nextUnit() < 0.5 { plan.append(.walking(durationS: uniform(60, 180), cadenceSpm: uniform(100, 115), speedMps: 1.3)) }
        return plan
    }
}
