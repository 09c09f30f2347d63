import Testing
import GaitSynth

@Suite struct SynthRotationTests {
    @Test(arguments: [UInt64(1), 2, 3, 99])
    func mountRotationPreservesTheNormOfEverySample(seed: UInt64) {
        var config = cleanConfig([.walking(durationS: 5), .running(durationS: 10)], sampleRateHz: 200)
        config.pelvicRotationDeg = 7
        config.pelvicDropDeg = 4
        config.leanDeg = 6
        let body = synthesize(config).samples
        config.mountRotation = .random(seed: seed)
        let sensor = synthesize(config).samples
        #expect(body.count == sensor.count)
        func norm(_ c: SynthChunk, _ i: Int) -> Float {
            (c.accelXG[i] * c.accelXG[i] + c.accelYG[i] * c.accelYG[i] + c.accelZG[i] * c.accelZG[i]).squareRoot()
        }
        func gyroNorm(_ c: SynthChunk, _ i: Int) -> Float {
            (c.gyroXDPS[i] * c.gyroXDPS[i] + c.gyroYDPS[i] * c.gyroYDPS[i] + c.gyroZDPS[i] * c.gyroZDPS[i]).squareRoot()
        }
        for i in 0..<body.count {
            #expect(abs(norm(body, i) - norm(sensor, i)) <= 1e-5 * max(1, norm(body, i)))
            #expect(abs(gyroNorm(body, i) - gyroNorm(sensor, i)) <= 1e-4 * max(1, gyroNorm(body, i)))
        }
        #expect(body.accelXG != sensor.accelXG)
    }

    @Test(arguments: [UInt64(5), 6, 7])
    func randomRotationsAreProper(seed: UInt64) {
        #expect(SynthRotation.random(seed: seed).isProperRotation())
        #expect(SynthRotation.random(seed: seed) == SynthRotation.random(seed: seed))
    }

    @Test func upsideDownClipReadsMinusOneGOnItsXAxisWhenStanding() {
        var config = cleanConfig([.standing(durationS: 2)], sampleRateHz: 50)
        config.mountRotation = .upsideDown
        let samples = synthesize(config).samples
        #expect(samples.accelXG.allSatisfy { abs($0 + 1) < 1e-6 })
    }

    @Test func eulerAnglesMatchTheEquivalentQuaternion() {
        // A quarter turn about V (x): ML (y) goes to AP (z).
        let euler = SynthRotation(xDeg: 90, yDeg: 0, zDeg: 0)
        let half = 0.5.squareRoot()
        let quaternion = SynthRotation(quaternionW: half, x: half, y: 0, z: 0)
        for (a, b) in zip(euler.matrix, quaternion.matrix) { #expect(abs(a - b) < 1e-12) }
        let turned = euler.apply((0, 1, 0))
        #expect(abs(turned.2 - 1) < 1e-12)
        let roundTrip = euler.composed(after: euler.inverse)
        for (a, b) in zip(roundTrip.matrix, SynthRotation.identity.matrix) { #expect(abs(a - b) < 1e-12) }
    }
}
