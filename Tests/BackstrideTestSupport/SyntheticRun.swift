import GaitDSP
import GaitSynth
import SessionIO

/// GaitSynth runs as the rest of the pipeline takes them: engine blocks, and canonical CSV files
/// that `gait import`, SessionIngest and the web upload read.
public enum SyntheticRun {
    /// Samples per generated block. Fixed, so that every fixture cuts a run the same way.
    public static let blockSampleCount = 50_000

    /// All samples of `config`, in blocks of `blockSampleCount`.
    public static func blocks(_ config: SynthConfig) -> [IMUBlock] {
        var blocks: [IMUBlock] = []
        forEachBlock(config) { blocks.append($0) }
        return blocks
    }

    /// Writes `config` as the canonical CSV `folder/name.csv` (device "synth") and returns its path.
    public static func csv(_ config: SynthConfig, in folder: String, name: String) throws -> String {
        let path = folder + "/" + name + ".csv"
        let writer = try CanonicalCSVWriter(path: path, hasGyro: config.includeGyro, sampleRateHz: config.sampleRateHz, device: "synth")
        try forEachBlock(config) { try writer.write($0) }
        try writer.finish()
        return path
    }

    /// A `SynthConfig.steadyRun` as canonical CSV, named `run-SEED.csv` unless `name` is given; returns its path.
    public static func steadyCSV(in folder: String, name: String? = nil, durationS: Double, sampleRateHz: Double = 100, seed: UInt64,
                                 cadenceSpm: Double = 170, stepTimeAsymmetryPct: Double = 0) throws -> String {
        let config = SynthConfig.steadyRun(durationS: durationS, sampleRateHz: sampleRateHz, seed: seed, cadenceSpm: cadenceSpm,
                                           stepTimeAsymmetryPct: stepTimeAsymmetryPct)
        return try csv(config, in: folder, name: name ?? "run-\(seed)")
    }

    /// Generates `config` block by block (a long run never sits in memory whole).
    private static func forEachBlock(_ config: SynthConfig, _ body: (IMUBlock) throws -> Void) rethrows {
        var generator = SynthGenerator(config: config)
        var chunk = SynthChunk()
        while generator.next(into: &chunk, maxSamples: blockSampleCount) { try body(IMUBlock(chunk)) }
    }
}
