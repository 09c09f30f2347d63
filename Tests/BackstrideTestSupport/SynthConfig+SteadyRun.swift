import GaitSynth

extension SynthConfig {
    /// A steady run: one running segment at `cadenceSpm` steps/min and 3.2 m/s, with one side's
    /// step time longer by `stepTimeAsymmetryPct` %; the run most fixtures start from.
    public static func steadyRun(durationS: Double, sampleRateHz: Double = 100, seed: UInt64, cadenceSpm: Double = 170,
                                 stepTimeAsymmetryPct: Double = 0, includeGyro: Bool = true) -> SynthConfig {
        var config = SynthConfig(sampleRateHz: sampleRateHz, seed: seed, segments: [.running(durationS: durationS, cadenceSpm: cadenceSpm)])
        config.stepTimeAsymmetryPct = stepTimeAsymmetryPct
        config.includeGyro = includeGyro
        return config
    }
}
