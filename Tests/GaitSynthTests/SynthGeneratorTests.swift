import Testing
import GaitSynth

@Suite struct SynthGeneratorTests {
    /// A short session that exercises every feature: activity changes, gyro, noise, timestamp jitter, gaps.
    static func busyConfig(seed: UInt64 = 42) -> SynthConfig {
        var config = SynthConfig.walkRunWalk(warmUpS: 8, runS: 20, stopS: 4, coolDownS: 6, sampleRateHz: 200, seed: seed)
        config.timestampJitterS = 0.001
        config.gaps = [SynthGap(atS: 5, durationS: 0.5), SynthGap(atS: 20.123, durationS: 1.7)]
        config.mountRotation = .random(seed: seed)
        config.stepTimeAsymmetryPct = 5
        return config
    }

    @Test func sameSeedGivesIdenticalSamplesAndGroundTruth() {
        let a = synthesize(Self.busyConfig())
        let b = synthesize(Self.busyConfig())
        #expect(bitPatterns(a.samples) == bitPatterns(b.samples))
        #expect(a.steps == b.steps)
        #expect(a.bouts == b.bouts)
    }

    @Test func differentSeedsGiveDifferentSamples() {
        var other = Self.busyConfig()
        other.seed = 43
        #expect(synthesize(Self.busyConfig()).samples.accelXG != synthesize(other).samples.accelXG)
    }

    @Test(arguments: [1, 7, 100, 4096])
    func chunkedGenerationEqualsOneShotBitForBit(chunkSize: Int) {
        let config = Self.busyConfig()
        let oneShot = synthesize(config)
        var generator = SynthGenerator(config: config)
        var joined = SynthChunk()
        while let chunk = generator.next(maxSamples: chunkSize) {
            #expect(chunk.count <= chunkSize)
            joined.append(contentsOf: chunk)
        }
        #expect(generator.next(maxSamples: chunkSize) == nil)
        #expect(bitPatterns(joined) == bitPatterns(oneShot.samples))
        #expect(generator.steps == oneShot.steps)
        #expect(generator.bouts == oneShot.bouts)
    }

    @Test func oneHourAtOneKilohertzStreamsWithinBoundedBuffers() {
        var config = SynthConfig.easyRun(durationS: 3600, sampleRateHz: 1000, seed: 3)
        config.includeGyro = true
        var generator = SynthGenerator(config: config)
        var chunk = SynthChunk()
        var total = 0
        var stepCount = 0
        var largestBuffer = 0
        var largestChunkCapacity = 0
        while generator.next(into: &chunk, maxSamples: 8192) {
            total += chunk.count
            largestBuffer = max(largestBuffer, generator.bufferedSampleCapacity)
            largestChunkCapacity = max(largestChunkCapacity, chunk.timeS.capacity)
            stepCount += generator.takeSteps().count
        }
        // The internal buffers hold at most a step (or a second of standing) per channel:
        // 11 channels × ~1.1 s at 1 kHz, whatever the session length.
        #expect(largestBuffer < 11 * 1_500)
        #expect(largestChunkCapacity < 2 * 8192)
        #expect(abs(Double(total) - 3_600_000) < 1000)
        #expect(abs(Double(stepCount) - 3600 * 170 / 60) < 20)
    }

    @Test func gapsDropTheirSamplesAndNothingElse() {
        var config = cleanConfig([.running(durationS: 10)], sampleRateHz: 100)
        config.gaps = [SynthGap(atS: 2, durationS: 1), SynthGap(atS: 6.5, durationS: 0.25)]
        let withGaps = synthesize(config).samples
        config.gaps = []
        let without = synthesize(config).samples
        #expect(without.count - withGaps.count == 100 + 25)
        #expect(!withGaps.timeS.contains { ($0 >= 2 && $0 < 3) || ($0 >= 6.5 && $0 < 6.75) })
        let kept = without.timeS.indices.filter { !(without.timeS[$0] >= 2 && without.timeS[$0] < 3)
            && !(without.timeS[$0] >= 6.5 && without.timeS[$0] < 6.75) }
        #expect(kept.map { without.accelXG[$0] } == withGaps.accelXG)
    }

    @Test func jitteredTimestampsStayNonDecreasingAndCloseToTheTrueClock() {
        var config = cleanConfig([.running(durationS: 20)], sampleRateHz: 100)
        config.timestampJitterS = 0.004
        let times = synthesize(config).samples.timeS
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        let deviations = times.enumerated().map { $1 - Double($0) / 100 }
        let sd = (deviations.reduce(0) { $0 + $1 * $1 } / Double(deviations.count)).squareRoot()
        #expect(sd > 0.002 && sd < 0.006)
    }

    @Test func boutsFollowThePlanAndEndOnStepBoundaries() {
        let recording = synthesize(cleanConfig([
            .walking(durationS: 30), .running(durationS: 60), .standing(durationS: 10), .running(durationS: 30),
        ], sampleRateHz: 100))
        #expect(recording.bouts.map(\.kind) == [.walking, .running, .standing, .running])
        let contacts = Set(recording.steps.map(\.initialContactS))
        for (bout, next) in zip(recording.bouts, recording.bouts.dropFirst()) {
            #expect(bout.endS == next.startS)
            if bout.kind != .standing { #expect(contacts.contains(bout.startS)) }
        }
        let nominalEnds = [30.0, 90, 100, 130]
        for (bout, end) in zip(recording.bouts, nominalEnds) {
            #expect(abs(bout.endS - end) < 0.4)
        }
        #expect(abs(recording.bouts[0].cadenceSpm - 110) < 1)
        #expect(abs(recording.bouts[1].cadenceSpm - 170) < 1)
        #expect(recording.bouts[2].stepCount == 0)
    }

    @Test func sidesAlternate() {
        let steps = synthesize(cleanConfig([.running(durationS: 20), .standing(durationS: 3), .walking(durationS: 10)])).steps
        #expect(steps.first?.side == .left)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.side != $1.side })
    }

    @Test func fatigueDriftChangesCadenceImpactAndLeanOverTheSession() {
        var config = cleanConfig([.running(durationS: 3600)], sampleRateHz: 50)
        config.cadenceDriftPctPerHour = -5
        config.impactDriftPctPerHour = 10
        config.leanDriftDegPerHour = 4
        config.leanDeg = 5
        var generator = SynthGenerator(config: config)
        var chunk = SynthChunk()
        while generator.next(into: &chunk, maxSamples: 100_000) {}
        let steps = generator.steps.filter { $0.intensity == 1 }
        let early = steps.prefix(200), late = steps.suffix(200)
        func average(_ s: ArraySlice<SynthStep>, _ key: (SynthStep) -> Double) -> Double {
            s.reduce(0) { $0 + key($1) } / Double(s.count)
        }
        let cadenceChange = average(late) { $0.cadenceSpm } / average(early) { $0.cadenceSpm } - 1
        #expect(abs(cadenceChange - -0.05) < 0.005)
        let impactChange = average(late) { $0.impactPeakG } / average(early) { $0.impactPeakG } - 1
        #expect(abs(impactChange - 0.10) < 0.01)
        #expect(abs(average(late) { $0.leanDeg } - average(early) { $0.leanDeg } - 4) < 0.2)
    }
}
