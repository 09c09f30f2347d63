extension SynthConfig {
    /// A steady easy run: one running segment at 170 steps/min and 3.2 m/s, default gait.
    public static func easyRun(durationS: Double = 600, sampleRateHz: Double = 100, seed: UInt64 = 1) -> SynthConfig {
        SynthConfig(sampleRateHz: sampleRateHz, seed: seed, segments: [.running(durationS: durationS)])
    }

    /// A typical outing: warm-up walk, a run interrupted by a standing traffic-light stop halfway,
    /// then a cool-down walk.
    public static func walkRunWalk(
        warmUpS: Double = 300, runS: Double = 1800, stopS: Double = 30, coolDownS: Double = 300,
        sampleRateHz: Double = 100, seed: UInt64 = 1
    ) -> SynthConfig {
        SynthConfig(sampleRateHz: sampleRateHz, seed: seed, segments: [
            .walking(durationS: warmUpS, cadenceSpm: 112, speedMps: 1.4),
            .running(durationS: runS / 2, cadenceSpm: 168, speedMps: 3.0),
            .standing(durationS: stopS),
            .running(durationS: runS / 2, cadenceSpm: 168, speedMps: 3.0),
            .walking(durationS: coolDownS, cadenceSpm: 105, speedMps: 1.3),
        ])
    }
}
