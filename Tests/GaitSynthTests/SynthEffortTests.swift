import Foundation
import Testing
import GaitSynth

/// A running segment's effort: the impact excess above 1 g and the braking peak scale with it,
/// it ramps at a segment change, walking ignores it, and files without it decode with effort 1.
@Suite struct SynthEffortTests {
    @Test(arguments: [0.6, 1.0, 1.5])
    func effortScalesTheRunningImpactExcessAndBrakingPeak(effort: Double) {
        let recording = synthesize(cleanConfig([.running(durationS: 20, effort: effort)]))
        let steps = steadySteps(recording)
        #expect(steps.count > 40)
        for step in steps {
            #expect(abs(step.impactPeakG - (1 + 2 * effort)) < 0.05)
            #expect(abs(step.brakingPeakG - 0.7 * effort) < 0.01)
            // The signal agrees with the ground truth.
            let range = sampleRange(of: step, in: recording)
            let early = recording.samples.accelXG[range.lowerBound..<(range.lowerBound + 60)]
            #expect(abs(Double(early.max()!) - step.impactPeakG) < 0.03)
            #expect(abs(Double(-recording.samples.accelZG[range].min()!) - step.brakingPeakG) < 0.01)
            #expect(abs(mean(recording.samples.accelXG[range]) - 1) < 0.01)
        }
    }

    @Test func effortRampsOverTheTransitionStepsAtASegmentChange() throws {
        var config = cleanConfig([.running(durationS: 20, effort: 0.6), .running(durationS: 20, effort: 1.5)])
        config.transitionSteps = 2
        let recording = synthesize(config)
        let secondStartS = recording.bouts[1].startS
        let second = recording.steps.filter { $0.initialContactS >= secondStartS }
        let lastOfFirst = try #require(recording.steps.last { $0.initialContactS < secondStartS })
        #expect(abs(lastOfFirst.brakingPeakG - 0.7 * 0.6) < 0.01)
        // Step k of the new segment is at effort 0.6 + 0.9 · (k + 1) / 3 until the ramp is over.
        for (k, step) in second.prefix(4).enumerated() {
            let effort = k < 2 ? 0.6 + 0.9 * Double(k + 1) / 3 : 1.5
            #expect(abs(step.brakingPeakG - 0.7 * effort) < 0.01)
            #expect(abs(step.impactPeakG - (1 + 2 * effort)) < 0.05)
        }
    }

    /// Also in the steps that ramp from a run into the walk, whose running part keeps the run's effort.
    @Test func walkingIgnoresEffort() {
        let plain = synthesize(cleanConfig([.running(durationS: 10), .walking(durationS: 20)]))
        let withEffort = synthesize(cleanConfig([
            .running(durationS: 10), SynthSegment(kind: .walking, durationS: 20, cadenceSpm: 110, speedMps: 1.4, effort: 2.5),
        ]))
        #expect(bitPatterns(withEffort.samples) == bitPatterns(plain.samples))
        #expect(withEffort.steps == plain.steps)
    }

    @Test func aSegmentWithoutTheEffortKeyDecodesWithEffortOne() throws {
        let json = #"{"kind": "running", "durationS": 60, "cadenceSpm": 165, "speedMps": 3}"#
        let segment = try JSONDecoder().decode(SynthSegment.self, from: Data(json.utf8))
        #expect(segment.effort == 1)
        #expect(segment == .running(durationS: 60, cadenceSpm: 165, speedMps: 3))
        let jog = SynthSegment.running(durationS: 300, cadenceSpm: 160, speedMps: 2.6, effort: 0.7)
        #expect(try JSONDecoder().decode(SynthSegment.self, from: JSONEncoder().encode(jog)) == jog)
    }

    @Test(arguments: [(0.0, false), (-1, false), (.nan, false), (3.5, false), (0.01, true), (3, true)])
    func problemsAcceptEffortOnlyAboveZeroUpToThree(effort: Double, valid: Bool) {
        let config = SynthConfig(segments: [.running(durationS: 60, effort: effort)])
        #expect(config.problems().isEmpty == valid)
        if !valid { #expect(config.problems().contains { $0.contains("segment 0: effort") }) }
    }
}
