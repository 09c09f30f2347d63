/// A whole synthetic session in memory: samples plus ground truth. For short sessions; stream long
/// ones with `SynthGenerator`.
public struct SynthRecording: Sendable {
    /// The configuration that produced it.
    public var config: SynthConfig
    /// All samples.
    public var samples: SynthChunk
    /// Ground truth per step, in order.
    public var steps: [SynthStep]
    /// Ground truth per bout, in order.
    public var bouts: [SynthBout]
}

/// Generates a whole session in memory (convenience for short sessions and tests).
public func synthesize(_ config: SynthConfig) -> SynthRecording {
    var generator = SynthGenerator(config: config)
    var all = SynthChunk()
    var chunk = SynthChunk()
    while generator.next(into: &chunk, maxSamples: 65_536) {
        all.append(contentsOf: chunk)
    }
    return SynthRecording(config: config, samples: all, steps: generator.steps, bouts: generator.bouts)
}
