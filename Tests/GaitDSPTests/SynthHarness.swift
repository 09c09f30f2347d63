import GaitDSP
import GaitSynth

/// Runs synthetic sessions through the engine and compares with their ground truth.
enum SynthHarness {
    /// Generates `config` and feeds it to a fresh engine in blocks of `blockSize` samples, each
    /// block first passed through `alter` (to add what GaitSynth does not model).
    static func analyse(_ config: SynthConfig, blockSize: Int = 4096, engine configuration: GaitEngineConfiguration? = nil,
                        alter: (inout SynthChunk) -> Void = { _ in })
        -> (analysis: GaitAnalysis, truth: [SynthStep]) {
        var generator = SynthGenerator(config: config)
        var engine = GaitEngine(configuration: configuration ?? GaitEngineConfiguration(nominalSampleRateHz: config.sampleRateHz))
        var chunk = SynthChunk()
        while generator.next(into: &chunk, maxSamples: blockSize) {
            alter(&chunk)
            engine.process(IMUBlock(timeS: chunk.timeS, accelXG: chunk.accelXG, accelYG: chunk.accelYG, accelZG: chunk.accelZG,
                                    gyroXDPS: chunk.gyroXDPS, gyroYDPS: chunk.gyroYDPS, gyroZDPS: chunk.gyroZDPS))
        }
        let analysis = engine.finish(input: InputDescription(source: "synth", format: "GaitSynth"))
        return (analysis, generator.steps)
    }

    /// F1 of detected initial contacts against the truth, within `toleranceS`.
    static func contactMatch(_ analysis: GaitAnalysis, _ truth: [SynthStep], toleranceS: Double = 0.05) -> EventMatch {
        let reference = truth.filter { $0.intensity >= 1 }.map(\.initialContactS)
        guard let first = reference.first, let last = reference.last else { return .zero }
        let detected = analysis.steps.map(\.initialContactS).filter { $0 >= first - toleranceS && $0 <= last + toleranceS }
        return EventMatch.match(detected: detected, reference: reference, toleranceS: toleranceS)
    }

    /// Share of matched steps whose side agrees with the truth.
    static func sideAgreement(_ analysis: GaitAnalysis, _ truth: [SynthStep], toleranceS: Double = 0.05) -> Double {
        var agree = 0, total = 0
        var j = 0
        let steps = analysis.steps
        for t in truth where t.intensity >= 1 {
            while j < steps.count, steps[j].initialContactS < t.initialContactS - toleranceS { j += 1 }
            guard j < steps.count, abs(steps[j].initialContactS - t.initialContactS) <= toleranceS, let side = steps[j].side else { continue }
            total += 1
            if side.rawValue == t.side.rawValue { agree += 1 }
        }
        return total == 0 ? 0 : Double(agree) / Double(total)
    }

    /// A running configuration with the given changes.
    static func run(
        durationS: Double = 240, rate: Double = 200, seed: UInt64 = 1, cadence: Double = 170, gyro: Bool = true,
        _ change: (inout SynthConfig) -> Void = { _ in }
    ) -> SynthConfig {
        var config = SynthConfig(sampleRateHz: rate, seed: seed, segments: [.running(durationS: durationS, cadenceSpm: cadence)])
        config.includeGyro = gyro
        change(&config)
        return config
    }
}
