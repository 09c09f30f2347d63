import Foundation
import GaitDSP
import GaitSynth
import Testing

/// The posture reference outvotes a bad first window: a clip that sat wrongly for the first
/// seconds of a run must not hide a growth of forward lean.
@Suite struct PostureReferenceTests {
    /// For the first `seconds` of the run the clip sat turned 80° on the belt (about the vertical),
    /// then was put straight: the first gait windows see a forward axis 80° off.
    static func turnedAtFirst(for seconds: Double) -> (inout SynthChunk) -> Void {
        { chunk in
            let angle = 80 * Float.pi / 180
            for i in 0..<chunk.count where chunk.timeS[i] < seconds {
                let y = chunk.accelYG[i], z = chunk.accelZG[i]
                chunk.accelYG[i] = y * cosf(angle) - z * sinf(angle)
                chunk.accelZG[i] = y * sinf(angle) + z * cosf(angle)
                let gy = chunk.gyroYDPS[i], gz = chunk.gyroZDPS[i]
                chunk.gyroYDPS[i] = gy * cosf(angle) - gz * sinf(angle)
                chunk.gyroZDPS[i] = gy * sinf(angle) + gz * cosf(angle)
            }
        }
    }

    static func leanGrowthDeg(handledS: Double, seed: UInt64) -> Float {
        let config = SynthHarness.run(durationS: 1200, rate: 100, seed: seed) { $0.leanDriftDegPerHour = 24 }
        let steps = SynthHarness.analyse(config, alter: turnedAtFirst(for: handledS)).analysis.steps.filter { $0.initialContactS > handledS + 8 }
        let early = steps.prefix(200).map(\.pelvisTiltDeg).reduce(0, +) / 200
        let late = steps.suffix(200).map(\.pelvisTiltDeg).reduce(0, +) / 200
        return late - early
    }

    @Test(arguments: [UInt64(41), 42, 43])
    func leanGrowthIsMeasuredWhenTheClipSatTurnedAtFirst(seed: UInt64) {
        // 24°/h over 20 min is 8°; the first and last 200 steps are a minute from the ends: ~7°.
        let growth = Self.leanGrowthDeg(handledS: 15, seed: seed)
        #expect(growth > 5.5 && growth < 9, "lean growth \(growth)° with the clip turned for the first 15 s (expected about 7°)")
    }
}
