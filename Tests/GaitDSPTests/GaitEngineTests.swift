import GaitDSP
import GaitSynth
import Testing

/// The engine against GaitSynth ground truth: events, sides, metrics, invariance, streaming.
@Suite struct GaitEngineTests {
    @Test(arguments: [50.0, 100.0, 200.0, 1000.0, 1600.0])
    func runningContactsAreFoundAtEverySamplingRate(rate: Double) {
        let (analysis, truth) = SynthHarness.analyse(SynthHarness.run(durationS: 120, rate: rate, seed: 11))
        let match = SynthHarness.contactMatch(analysis, truth, toleranceS: 0.05)
        #expect(match.f1 > 0.98, "F1@50ms \(match.f1) at \(rate) Hz")
        #expect(abs(match.meanSignedErrorS) < 0.02, "bias \(match.meanSignedErrorS) s at \(rate) Hz")
        let cadence = analysis.summary.metrics?.cadenceSpm ?? 0
        #expect(abs(cadence - 170) < 2, "cadence \(cadence)")
    }

    @Test func walkingContactsAndCadenceAreFound() {
        var config = SynthConfig(sampleRateHz: 100, seed: 5, segments: [.walking(durationS: 180, cadenceSpm: 108)])
        config.includeGyro = false
        let (analysis, truth) = SynthHarness.analyse(config)
        let match = SynthHarness.contactMatch(analysis, truth, toleranceS: 0.1)
        #expect(match.f1 > 0.95, "F1@100ms \(match.f1)")
        #expect(analysis.summary.primaryActivity == .walking)
        #expect(abs((analysis.summary.metrics?.cadenceSpm ?? 0) - 108) < 3)
    }

    @Test func sidesAgreeWithTheFootThatLands() {
        let (analysis, truth) = SynthHarness.analyse(SynthHarness.run(seed: 3))
        let agreement = SynthHarness.sideAgreement(analysis, truth)
        #expect(agreement > 0.97, "side agreement \(agreement)")
        #expect((analysis.summary.confidentSideShare ?? 0) > 0.9)
    }

    @Test(arguments: [UInt64(101), 202, 303, 404, 505, 606])
    func randomMountingGivesTheSameMetrics(seed: UInt64) {
        let upright = SynthHarness.analyse(SynthHarness.run(seed: 21)).analysis
        let rotated = SynthHarness.analyse(SynthHarness.run(seed: 21) { $0.mountRotation = .random(seed: seed) })
        let a = upright.summary.metrics!, b = rotated.analysis.summary.metrics!
        #expect(abs(a.cadenceSpm! - b.cadenceSpm!) < 0.5)
        for metric in [GaitMetric.impactPeakG, .brakingPeakG, .groundContactTimeS, .verticalOscillationCm, .stepTimeS] {
            let x = a.metrics[metric.rawValue]!.median, y = b.metrics[metric.rawValue]!.median
            #expect(abs(x - y) <= 0.03 * abs(x) + 1e-3, "\(metric.rawValue): upright \(x), rotated \(y) (mount seed \(seed))")
        }
        #expect(SynthHarness.sideAgreement(rotated.analysis, rotated.truth) > 0.95, "sides under mount seed \(seed)")
    }

    @Test(arguments: [8.0, -8.0])
    func injectedStepTimeAsymmetryIsMeasuredWithinTwoPoints(asymmetry: Double) {
        let config = SynthHarness.run(durationS: 300, seed: 8) { $0.stepTimeAsymmetryPct = asymmetry }
        let (analysis, _) = SynthHarness.analyse(config)
        let stats = analysis.summary.metrics!.metrics[GaitMetric.stepTimeS.rawValue]!
        let measured = stats.symmetryIndexPct ?? .nan
        // GaitSynth lengthens the intervals that start at a left contact; a step is named by the
        // foot that lands, so those are right steps and the SI has the opposite sign.
        #expect(abs(Double(measured) + asymmetry) <= 2, "injected \(asymmetry)%, measured \(measured)%")
        #expect(stats.worseSide == (asymmetry > 0 ? .right : .left))
    }

    @Test func injectedImpactAsymmetryNamesTheHeavierSide() {
        let (analysis, _) = SynthHarness.analyse(SynthHarness.run(durationS: 300, seed: 9) { $0.impactAsymmetryPct = 10 })
        let stats = analysis.summary.metrics!.metrics[GaitMetric.impactPeakG.rawValue]!
        #expect((stats.symmetryIndexPct ?? 0) > 5, "impact SI \(stats.symmetryIndexPct ?? .nan)")
        #expect(stats.worseSide == .left)
    }

    @Test func aFivePercentCadenceChangeIsSeen() {
        let base = SynthHarness.analyse(SynthHarness.run(seed: 4, cadence: 170)).analysis.summary.metrics!.cadenceSpm!
        let faster = SynthHarness.analyse(SynthHarness.run(seed: 4, cadence: 178.5)).analysis.summary.metrics!.cadenceSpm!
        let change = (faster - base) / base * 100
        #expect(abs(change - 5) < 1, "cadence \(base) → \(faster): \(change)%")
    }

    @Test func fatigueDriftShowsInCadenceAndImpact() {
        let config = SynthHarness.run(durationS: 1800, rate: 100, seed: 6) {
            $0.cadenceDriftPctPerHour = -10
            $0.impactDriftPctPerHour = 20
        }
        let metrics = SynthHarness.analyse(config).analysis.summary.metrics!
        let stepDrift = metrics.metrics[GaitMetric.stepTimeS.rawValue]!.driftPct!
        let impactDrift = metrics.metrics[GaitMetric.impactPeakG.rawValue]!.driftPct!
        #expect(stepDrift > 2, "step time drift \(stepDrift)%")
        #expect(impactDrift > 4, "impact drift \(impactDrift)%")
    }

    @Test func leanGrowthShowsAsForwardPelvisTilt() {
        let config = SynthHarness.run(durationS: 1200, rate: 100, seed: 12) { $0.leanDriftDegPerHour = 15 }
        let steps = SynthHarness.analyse(config).analysis.steps
        let early = steps.prefix(200).map(\.pelvisTiltDeg).reduce(0, +) / 200
        let late = steps.suffix(200).map(\.pelvisTiltDeg).reduce(0, +) / 200
        #expect(late - early > 3, "tilt early \(early)°, late \(late)° (expected about +4.5°)")
    }

    @Test func pelvicRotationAndObliquityFollowTheGyroscopeTruth() {
        // The rate is declared up front here (as a file's fs_hz does): the gyroscope must still be used.
        let (analysis, truth) = SynthHarness.analyse(SynthHarness.run(durationS: 120, rate: 200, seed: 17))
        #expect(analysis.input.hasGyroscope)
        let metrics = analysis.summary.metrics!.metrics
        let rotation = metrics[GaitMetric.pelvicRotationDeg.rawValue]?.median ?? .nan
        let obliquity = metrics[GaitMetric.pelvicObliquityDeg.rawValue]?.median ?? .nan
        let truthRotation = Float(truth[truth.count / 2].pelvicRotationDeg)
        let truthDrop = Float(truth[truth.count / 2].pelvicDropDeg)
        #expect(abs(rotation - truthRotation) < 0.15 * truthRotation, "rotation \(rotation)° vs \(truthRotation)°")
        #expect(abs(obliquity - 2 * truthDrop) < 0.15 * 2 * truthDrop, "obliquity \(obliquity)° vs ±\(truthDrop)°")
    }

    @Test func streamingInSmallBlocksEqualsBatch() {
        var config = SynthConfig.walkRunWalk(warmUpS: 40, runS: 120, stopS: 20, coolDownS: 30, sampleRateHz: 200, seed: 2)
        config.timestampJitterS = 0.001
        let batch = SynthHarness.analyse(config, blockSize: 1 << 20).analysis
        let live = SynthHarness.analyse(config, blockSize: 7).analysis
        #expect(batch == live)
        #expect(batch.steps.count > 300)
    }

    @Test func boutsFollowTheActivityWithTheStopInsideTheRun() {
        let config = SynthConfig.walkRunWalk(warmUpS: 60, runS: 240, stopS: 40, coolDownS: 60, sampleRateHz: 100, seed: 3)
        let analysis = SynthHarness.analyse(config).analysis
        let kinds = analysis.bouts.filter { $0.endS - $0.startS >= 8 }.map(\.kind)
        #expect(kinds == [.walking, .running, .walking], "bouts \(analysis.bouts.map { "\($0.kind)@\($0.startS)" })")
        let run = analysis.bouts.first { $0.kind == .running }!
        #expect(abs(run.pausedS - 40) < 10, "pause \(run.pausedS) s")
    }

    @Test func aGapSplitsTheRecordingAndNoStepSpansIt() {
        let config = SynthHarness.run(durationS: 120, rate: 100, seed: 13) { $0.gaps = [SynthGap(atS: 60, durationS: 2)] }
        let analysis = SynthHarness.analyse(config).analysis
        #expect(analysis.input.segmentCount == 2)
        for step in analysis.steps where step.initialContactS < 60 {
            if let t = step.stepTimeS { #expect(step.initialContactS + Double(t) < 60.2) }
        }
    }

    @Test func phoneTimestampJitterDoesNotHurtDetection() {
        let config = SynthHarness.run(durationS: 120, rate: 100, seed: 14) { $0.timestampJitterS = 0.003 }
        let (analysis, truth) = SynthHarness.analyse(config)
        #expect(SynthHarness.contactMatch(analysis, truth).f1 > 0.97)
    }

    @Test func standingAloneHasNoSteps() {
        let config = SynthConfig(sampleRateHz: 100, seed: 1, segments: [.standing(durationS: 60)])
        let analysis = SynthHarness.analyse(config).analysis
        #expect(analysis.steps.isEmpty)
        #expect(analysis.bouts.map(\.kind) == [.standing])
        #expect(analysis.input.warnings.contains { $0.contains("no walking or running") })
    }

    @Test func engineMemoryStaysBoundedByTheWindow() {
        var config = SynthHarness.run(durationS: 1200, rate: 400, seed: 15)
        config.includeGyro = false
        var generator = SynthGenerator(config: config)
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 400))
        var chunk = SynthChunk()
        var largest = 0
        while generator.next(into: &chunk, maxSamples: 10_000) {
            engine.process(IMUBlock(timeS: chunk.timeS, accelXG: chunk.accelXG, accelYG: chunk.accelYG, accelZG: chunk.accelZG))
            largest = max(largest, engine.bufferedSampleCount)
        }
        // 8 s windows at 200 Hz: the buffer never holds more than a few windows.
        #expect(largest <= 4 * 8 * 200, "largest buffer \(largest) samples")
    }
}
