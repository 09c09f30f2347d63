import Foundation
import GaitDSP
import GaitSynth
@testable import SessionStore

/// Temporary databases and synthetic samples for the store's own tests.
enum StoreFixtures {
    /// A new, empty folder under the temporary directory.
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-store-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Synthetic running samples from GaitSynth, in generator-sized blocks.
    static func synthBlocks(durationS: Double, rateHz: Double, seed: UInt64, gyro: Bool = true) -> [IMUBlock] {
        var config = SynthConfig(sampleRateHz: rateHz, seed: seed, segments: [.running(durationS: durationS, cadenceSpm: 170)])
        config.includeGyro = gyro
        var generator = SynthGenerator(config: config)
        var chunk = SynthChunk()
        var blocks: [IMUBlock] = []
        while generator.next(into: &chunk, maxSamples: 50_000) {
            blocks.append(IMUBlock(timeS: chunk.timeS, accelXG: chunk.accelXG, accelYG: chunk.accelYG, accelZG: chunk.accelZG,
                                   gyroXDPS: chunk.gyroXDPS, gyroYDPS: chunk.gyroYDPS, gyroZDPS: chunk.gyroZDPS))
        }
        return blocks
    }
}
