import GaitDSP
import GaitSynth
import Testing

/// Running is found as one bout from jogging to sprinting, including the flight a real sacral
/// sensor shows (the pelvis's own rotation keeps it off 0 g).
@Suite struct RunningRangeTests {
    @Test(arguments: [(155.0, 2.0), (170.0, 3.2), (185.0, 4.5), (200.0, 5.5), (215.0, 6.2)])
    func runningIsOneBoutFromJoggingToSprinting(cadence: Double, speed: Double) {
        let config = SynthConfig(sampleRateHz: 200, seed: 21, segments: [.running(durationS: 60, cadenceSpm: cadence, speedMps: speed)])
        let (analysis, truth) = SynthHarness.analyse(config)
        #expect(analysis.summary.primaryActivity == .running)
        let running = analysis.bouts.filter { $0.kind == .running }.reduce(0) { $0 + $1.endS - $1.startS }
        #expect(running >= 0.95 * analysis.durationS, "running \(running) s of \(analysis.durationS) s at \(cadence) spm")
        let match = SynthHarness.contactMatch(analysis, truth, toleranceS: 0.05)
        #expect(match.f1 > 0.97, "F1@50ms \(match.f1) at \(cadence) spm")
        #expect(abs((analysis.summary.metrics?.cadenceSpm ?? 0) - Float(cadence)) < 2)
    }

    /// Reads 0.7 g along the forward axis whenever the body is in the air, as the sacral sensor of
    /// real treadmill running does (0.2–1.0 g in `SampleData/realrun`).
    static func pelvisReadsForwardInFlight(_ chunk: inout SynthChunk) {
        for i in 0..<chunk.count {
            let x = chunk.accelXG[i], y = chunk.accelYG[i], z = chunk.accelZG[i]
            if x * x + y * y + z * z < 0.16 { chunk.accelZG[i] = z + 0.7 }
        }
    }

    @Test func fastRunningWhosePelvisReadsForwardInFlightIsStillRunning() {
        let config = SynthConfig(sampleRateHz: 200, seed: 22, segments: [.running(durationS: 60, cadenceSpm: 185, speedMps: 4.5)])
        let (analysis, truth) = SynthHarness.analyse(config, alter: Self.pelvisReadsForwardInFlight)
        let running = analysis.bouts.filter { $0.kind == .running }.reduce(0) { $0 + $1.endS - $1.startS }
        #expect(running >= 0.95 * analysis.durationS, "running \(running) s of \(analysis.durationS) s")
        #expect(SynthHarness.contactMatch(analysis, truth, toleranceS: 0.05).f1 > 0.97)

        // The rule before: flight only where all three axes read near 0 g, and no cadence rule.
        var old = GaitEngineConfiguration(nominalSampleRateHz: 200)
        old.flightVerticalLevelG = 0
        old.runningMinimumCadenceSpm = 1000
        let (before, _) = SynthHarness.analyse(config, engine: old, alter: Self.pelvisReadsForwardInFlight)
        let runningBefore = before.bouts.filter { $0.kind == .running }.reduce(0) { $0 + $1.endS - $1.startS }
        #expect(runningBefore < 0.5 * before.durationS, "the old rule kept \(runningBefore) s: the test no longer tests the change")
    }

    @Test func briskWalkingStaysWalking() {
        var config = SynthConfig(sampleRateHz: 100, seed: 23, segments: [.walking(durationS: 90, cadenceSpm: 135, speedMps: 1.9)])
        config.includeGyro = false
        let (analysis, _) = SynthHarness.analyse(config)
        #expect(analysis.summary.primaryActivity == .walking)
        #expect(analysis.steps.allSatisfy { $0.activity != .running })
    }
}

/// Contact-time asymmetry is measured at its size, not shrunk (the truth of GaitSynth is the time
/// the vertical force stays above zero; see `SynthConfig.contactTimeAsymmetryPct`).
@Suite struct ContactTimeAsymmetryTests {
    @Test(arguments: [-14.0, 8.0, 14.0])
    func injectedContactTimeAsymmetryIsMeasuredWithinThreePoints(asymmetry: Double) {
        let config = SynthHarness.run(durationS: 300, seed: 9) { $0.contactTimeAsymmetryPct = asymmetry }
        let (analysis, truth) = SynthHarness.analyse(config)
        let stats = analysis.summary.metrics!.metrics[GaitMetric.groundContactTimeS.rawValue]!
        let measured = Double(stats.symmetryIndexPct ?? .nan)
        let left = truth.filter { $0.side == .left && $0.intensity >= 1 }.map(\.contactTimeS).sorted()
        let right = truth.filter { $0.side == .right && $0.intensity >= 1 }.map(\.contactTimeS).sorted()
        let l = left[left.count / 2], r = right[right.count / 2]
        let trueSI = (l - r) / ((l + r) / 2) * 100
        print("contact-time asymmetry injected \(asymmetry) %, truth \(trueSI) %, measured \(measured) %")
        #expect(abs(measured - trueSI) <= 3, "truth \(trueSI)%, measured \(measured)%")
        #expect(stats.worseSide == (asymmetry > 0 ? .left : .right))
    }
}
