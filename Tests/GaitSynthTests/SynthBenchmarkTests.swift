import Foundation
import Testing
import GaitSynth

/// Generation speed, run only on request (it means something in release builds only):
/// `GAITSYNTH_BENCH=1 swift test -c release --scratch-path .build-synth-release --filter SynthBenchmark`
@Suite struct SynthBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GAITSYNTH_BENCH"] != nil),
          arguments: [false, true])
    func oneHourAtOneKilohertz(gyro: Bool) {
        var config = SynthConfig.easyRun(durationS: 3600, sampleRateHz: 1000, seed: 1)
        config.includeGyro = gyro
        var generator = SynthGenerator(config: config)
        var chunk = SynthChunk()
        var total = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            while generator.next(into: &chunk, maxSamples: 65_536) { total += chunk.count }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("GaitSynth 1 h @ 1 kHz, gyro \(gyro): \(total) samples in \(seconds) s = \(Double(total) / seconds / 1e6) M samples/s")
        #expect(total > 3_500_000)
    }
}
