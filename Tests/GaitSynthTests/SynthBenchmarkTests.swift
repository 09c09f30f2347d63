import Foundation
import Testing
import GaitSynth

/// Generation speed, run only on request (it means something in release builds only):
/// `GAITSYNTH_BENCH=1 swift test -c release --scratch-path .build-synth-release --filter SynthBenchmark`
///
/// Reports wall-clock and thread CPU time; on a shared machine the CPU time is the fairer figure.
@Suite(.serialized) struct SynthBenchmark {
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["GAITSYNTH_BENCH"] != nil),
          arguments: [false, true])
    func oneHourAtOneKilohertz(gyro: Bool) {
        var config = SynthConfig.easyRun(durationS: 3600, sampleRateHz: 1000, seed: 1)
        config.includeGyro = gyro
        var bestWall = Double.infinity, bestCPU = Double.infinity
        var total = 0
        for _ in 0..<3 {
            var generator = SynthGenerator(config: config)
            var chunk = SynthChunk()
            total = 0
            let wall0 = Date(), cpu0 = Self.threadCPUSeconds()
            while generator.next(into: &chunk, maxSamples: 65_536) { total += chunk.count }
            bestCPU = min(bestCPU, Self.threadCPUSeconds() - cpu0)
            bestWall = min(bestWall, Date().timeIntervalSince(wall0))
        }
        let millions = Double(total) / 1e6
        print("GaitSynth 1 h @ 1 kHz, gyro \(gyro): \(total) samples; best of 3: wall \(bestWall) s = \(millions / bestWall) M samples/s, thread CPU \(bestCPU) s = \(millions / bestCPU) M samples/s")
        #expect(total > 3_500_000)
    }
}
