/// Everything that defines a synthetic lower-back (sacrum/L5) IMU session: the activity plan, the
/// runner's gait, asymmetry and fatigue, the clip's mounting and the sensor's imperfections.
///
/// The same configuration (seed included) always produces the same samples, bit for bit.
/// Asymmetries use the symmetry index convention SI = (L − R) / ((L + R) / 2) × 100 %
/// (Robinson et al. 1987): a value `a` makes the left value `x · (1 + a/200)` and the right
/// `x · (1 − a/200)`, so positive means "left larger".
public struct SynthConfig: Sendable, Codable, Equatable {
    // MARK: Session

    /// Sampling rate of the physics and of the output, Hz.
    public var sampleRateHz: Double = 100
    /// Seed of every random draw (step jitter, noise, timestamp jitter).
    public var seed: UInt64 = 1
    /// The activity plan, played in order from t = 0.
    public var segments: [SynthSegment] = [.running(durationS: 600)]
    /// Steps over which cadence, running effort, intensity and activity ramp at a segment change (and
    /// into and out of standing, including the session's start and end).
    public var transitionSteps: Int = 2
    /// The foot that lands first.
    public var firstSide: SynthSide = .left

    // MARK: Asymmetry, as symmetry index in percent (left − right, over the mean)

    /// Step-time SI, %, of the intervals that start at each foot's contact: from a left contact
    /// to the next = T · (1 + a/200), from a right contact = T · (1 − a/200). Gait analysis (and
    /// `GaitDSP`) names a step by the foot that lands, so a positive `a` is a longer RIGHT step.
    /// Kept as it is so that seeded sessions stay the same.
    public var stepTimeAsymmetryPct: Double = 0
    /// Impact-peak SI, %, applied to the total vertical reading at the impact peak (running) or to the
    /// loading peak above 1 g (walking).
    public var impactAsymmetryPct: Double = 0
    /// Ground-contact-time SI, %.
    public var contactTimeAsymmetryPct: Double = 0

    // MARK: Running gait

    /// Sacral vertical impact peak while running, total specific force, g (typically 2.5–3.5).
    public var impactPeakG: Double = 3.0
    /// Time from initial contact to the impact peak, s (the loading-rate rise; typically 0.015–0.04).
    /// The transient then decays in 0.6 of this time (at least 8 ms), so it lasts ~30 ms in all.
    public var impactRiseTimeS: Double = 0.02
    /// Peak AP deceleration after contact while running, g, given as a positive magnitude
    /// (the AP reading reaches −brakingPeakG; typically 0.5–1.0).
    public var brakingPeakG: Double = 0.7
    /// Ground contact time while running, s (typically 0.22–0.28).
    public var contactTimeS: Double = 0.25
    /// Peak mediolateral acceleration during a running stance, g (typically 0.3–0.6).
    public var mediolateralPeakG: Double = 0.45

    // MARK: Walking gait

    /// Peak of the vertical loading bump above 1 g while walking, g (typically 0.2–0.4).
    public var walkingVerticalPeakG: Double = 0.3
    /// Peak AP deceleration after contact while walking, g, positive magnitude.
    public var walkingBrakingPeakG: Double = 0.25
    /// Peak mediolateral acceleration during a walking step, g (typically 0.1–0.2).
    public var walkingMediolateralPeakG: Double = 0.15

    // MARK: Posture and pelvis motion

    /// Forward tilt of the pelvis/trunk while walking or running, deg (standing is upright).
    public var leanDeg: Double = 5
    /// Amplitude of pelvic rotation (yaw about V) over a stride, ± deg (typically 5–10).
    public var pelvicRotationDeg: Double = 7
    /// Amplitude of pelvic obliquity (roll about AP, contralateral drop) over a stride, ± deg (typically 3–6).
    public var pelvicDropDeg: Double = 4
    /// Amplitude of pelvic tilt oscillation (pitch about ML) at step frequency, ± deg (small, 1–3).
    public var pelvicTiltDeg: Double = 1.5

    // MARK: Fatigue, linear over the session clock from `fatigueOnsetS`
    // Each drift is evaluated at a step's initial contact t, over max(0, t − fatigueOnsetS) / 3600 hours.

    /// Time on the session clock from which every drift below applies, s (0: from the start).
    public var fatigueOnsetS: Double = 0
    /// Cadence change, % per hour (negative: cadence falls).
    public var cadenceDriftPctPerHour: Double = 0
    /// Impact-peak change, % per hour.
    public var impactDriftPctPerHour: Double = 0
    /// Lean change, deg per hour.
    public var leanDriftDegPerHour: Double = 0
    /// Running braking-peak change, % per hour (the braking peak does not go below 0 g).
    public var brakingDriftPctPerHour: Double = 0
    /// Running ground-contact-time change, % per hour (the drifted contact time stays at least 10 % of
    /// `contactTimeS`, and contact at most 85 % of the step).
    public var contactTimeDriftPctPerHour: Double = 0
    /// Growth of the impact-peak SI, percentage points per hour, added to `impactAsymmetryPct`
    /// (the sum is held within ±100 %).
    public var impactAsymmetryDriftPctPerHour: Double = 0
    /// Growth of the step-time SI, percentage points per hour, added to `stepTimeAsymmetryPct`
    /// (the sum is held within ±100 %).
    public var stepTimeAsymmetryDriftPctPerHour: Double = 0

    // MARK: Sensor

    /// Standard deviation of white noise on each accelerometer axis, g.
    public var noiseG: Double = 0.01
    /// Standard deviation of white noise on each gyroscope axis, deg/s.
    public var gyroNoiseDPS: Double = 0.5
    /// Random step-to-step variation of step time, SD in % of the step time.
    public var stepTimeJitterPct: Double = 2
    /// Orientation of the clip: body frame to sensor frame.
    public var mountRotation: SynthRotation = .identity
    /// Whether the output carries gyroscope channels.
    public var includeGyro: Bool = true
    /// SD of Gaussian jitter on the reported timestamps, s (the physics is still sampled at the
    /// true times); reported times are kept non-decreasing.
    public var timestampJitterS: Double = 0
    /// Stretches of the true clock whose samples are dropped.
    public var gaps: [SynthGap] = []

    /// Creates the default configuration (10 min easy run at 170 steps/min, 100 Hz) and lets you
    /// replace the plan, rate and seed.
    public init(sampleRateHz: Double = 100, seed: UInt64 = 1, segments: [SynthSegment] = [.running(durationS: 600)]) {
        self.sampleRateHz = sampleRateHz
        self.seed = seed
        self.segments = segments
    }

    /// Nominal length of the session (sum of segment durations), s.
    public var nominalDurationS: Double { segments.reduce(0) { $0 + $1.durationS } }

    /// The reasons this configuration cannot be generated; empty when it can.
    public func problems() -> [String] {
        var found: [String] = []
        if !(sampleRateHz > 0 && sampleRateHz.isFinite) { found.append("sampleRateHz must be positive, got \(sampleRateHz)") }
        for (i, s) in segments.enumerated() {
            if !(s.durationS >= 0 && s.durationS.isFinite) { found.append("segment \(i): durationS must be ≥ 0, got \(s.durationS)") }
            if s.kind != .standing && !(s.cadenceSpm > 20 && s.cadenceSpm < 400) {
                found.append("segment \(i): cadenceSpm must be in (20, 400), got \(s.cadenceSpm)")
            }
            if !(s.effort > 0 && s.effort <= 3) { found.append("segment \(i): effort must be in (0, 3], got \(s.effort)") }
        }
        if transitionSteps < 0 { found.append("transitionSteps must be ≥ 0") }
        if !(contactTimeS > 0) { found.append("contactTimeS must be positive") }
        if !(impactRiseTimeS > 0 && impactRiseTimeS < contactTimeS / 2) {
            found.append("impactRiseTimeS must be in (0, contactTimeS / 2)")
        }
        for (name, a) in [("stepTimeAsymmetryPct", stepTimeAsymmetryPct), ("impactAsymmetryPct", impactAsymmetryPct),
                          ("contactTimeAsymmetryPct", contactTimeAsymmetryPct)] where !(abs(a) < 100) {
            found.append("\(name) must be within ±100 %, got \(a)")
        }
        if !(fatigueOnsetS >= 0 && fatigueOnsetS.isFinite) {
            found.append("fatigueOnsetS must be ≥ 0 and finite, got \(fatigueOnsetS)")
        }
        for (name, drift) in [("cadenceDriftPctPerHour", cadenceDriftPctPerHour), ("impactDriftPctPerHour", impactDriftPctPerHour),
                              ("leanDriftDegPerHour", leanDriftDegPerHour), ("brakingDriftPctPerHour", brakingDriftPctPerHour),
                              ("contactTimeDriftPctPerHour", contactTimeDriftPctPerHour),
                              ("impactAsymmetryDriftPctPerHour", impactAsymmetryDriftPctPerHour),
                              ("stepTimeAsymmetryDriftPctPerHour", stepTimeAsymmetryDriftPctPerHour)] where !drift.isFinite {
            found.append("\(name) must be finite, got \(drift)")
        }
        if noiseG < 0 || gyroNoiseDPS < 0 || stepTimeJitterPct < 0 || timestampJitterS < 0 {
            found.append("noise, jitter and timestamp jitter must be ≥ 0")
        }
        return found
    }
}

extension SynthConfig {
    private enum CodingKeys: String, CodingKey {
        case sampleRateHz, seed, segments, transitionSteps, firstSide
        case stepTimeAsymmetryPct, impactAsymmetryPct, contactTimeAsymmetryPct
        case impactPeakG, impactRiseTimeS, brakingPeakG, contactTimeS, mediolateralPeakG
        case walkingVerticalPeakG, walkingBrakingPeakG, walkingMediolateralPeakG
        case leanDeg, pelvicRotationDeg, pelvicDropDeg, pelvicTiltDeg
        case fatigueOnsetS, cadenceDriftPctPerHour, impactDriftPctPerHour, leanDriftDegPerHour
        case brakingDriftPctPerHour, contactTimeDriftPctPerHour, impactAsymmetryDriftPctPerHour, stepTimeAsymmetryDriftPctPerHour
        case noiseG, gyroNoiseDPS, stepTimeJitterPct, mountRotation, includeGyro, timestampJitterS, gaps
    }

    /// Decodes a configuration; every missing key keeps its default, so a JSON file needs only
    /// what it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.sampleRateHz, &sampleRateHz); try read(.seed, &seed); try read(.segments, &segments)
        try read(.transitionSteps, &transitionSteps); try read(.firstSide, &firstSide)
        try read(.stepTimeAsymmetryPct, &stepTimeAsymmetryPct); try read(.impactAsymmetryPct, &impactAsymmetryPct)
        try read(.contactTimeAsymmetryPct, &contactTimeAsymmetryPct)
        try read(.impactPeakG, &impactPeakG); try read(.impactRiseTimeS, &impactRiseTimeS)
        try read(.brakingPeakG, &brakingPeakG); try read(.contactTimeS, &contactTimeS)
        try read(.mediolateralPeakG, &mediolateralPeakG)
        try read(.walkingVerticalPeakG, &walkingVerticalPeakG); try read(.walkingBrakingPeakG, &walkingBrakingPeakG)
        try read(.walkingMediolateralPeakG, &walkingMediolateralPeakG)
        try read(.leanDeg, &leanDeg); try read(.pelvicRotationDeg, &pelvicRotationDeg)
        try read(.pelvicDropDeg, &pelvicDropDeg); try read(.pelvicTiltDeg, &pelvicTiltDeg)
        try read(.cadenceDriftPctPerHour, &cadenceDriftPctPerHour); try read(.impactDriftPctPerHour, &impactDriftPctPerHour)
        try read(.leanDriftDegPerHour, &leanDriftDegPerHour); try read(.fatigueOnsetS, &fatigueOnsetS)
        try read(.brakingDriftPctPerHour, &brakingDriftPctPerHour); try read(.contactTimeDriftPctPerHour, &contactTimeDriftPctPerHour)
        try read(.impactAsymmetryDriftPctPerHour, &impactAsymmetryDriftPctPerHour)
        try read(.stepTimeAsymmetryDriftPctPerHour, &stepTimeAsymmetryDriftPctPerHour)
        try read(.noiseG, &noiseG); try read(.gyroNoiseDPS, &gyroNoiseDPS); try read(.stepTimeJitterPct, &stepTimeJitterPct)
        try read(.mountRotation, &mountRotation); try read(.includeGyro, &includeGyro)
        try read(.timestampJitterS, &timestampJitterS); try read(.gaps, &gaps)
    }
}
