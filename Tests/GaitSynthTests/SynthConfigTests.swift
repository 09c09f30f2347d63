import Foundation
import Testing
import GaitSynth

@Suite struct SynthConfigTests {
    @Test func roundTripsThroughJSON() throws {
        var config = SynthConfig.walkRunWalk(seed: 9)
        config.gaps = [SynthGap(atS: 3, durationS: 1)]
        config.mountRotation = .random(seed: 4)
        config.impactAsymmetryPct = 7
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(SynthConfig.self, from: data) == config)
    }

    @Test func partialJSONKeepsDefaultsForMissingKeys() throws {
        let json = #"{"seed": 5, "stepTimeAsymmetryPct": 8, "segments": [{"kind": "walking", "durationS": 60, "cadenceSpm": 100, "speedMps": 1.2}]}"#
        let config = try JSONDecoder().decode(SynthConfig.self, from: Data(json.utf8))
        var expected = SynthConfig(seed: 5, segments: [.walking(durationS: 60, cadenceSpm: 100, speedMps: 1.2)])
        expected.stepTimeAsymmetryPct = 8
        #expect(config == expected)
    }

    @Test func fatigueOnsetAndNewDriftsDecodeAndMissingOnesKeepTheirDefaults() throws {
        let json = #"{"fatigueOnsetS": 1800, "brakingDriftPctPerHour": 12, "impactAsymmetryDriftPctPerHour": 4}"#
        let config = try JSONDecoder().decode(SynthConfig.self, from: Data(json.utf8))
        var expected = SynthConfig()
        expected.fatigueOnsetS = 1800
        expected.brakingDriftPctPerHour = 12
        expected.impactAsymmetryDriftPctPerHour = 4
        #expect(config == expected)
        #expect(config.contactTimeDriftPctPerHour == 0 && config.stepTimeAsymmetryDriftPctPerHour == 0)
        var all = expected
        all.contactTimeDriftPctPerHour = -8
        all.stepTimeAsymmetryDriftPctPerHour = 3
        #expect(try JSONDecoder().decode(SynthConfig.self, from: JSONEncoder().encode(all)) == all)
    }

    @Test func problemsRejectANegativeOnsetAndNonFiniteDrifts() {
        var config = SynthConfig()
        config.fatigueOnsetS = -1
        config.contactTimeDriftPctPerHour = .infinity
        config.stepTimeAsymmetryDriftPctPerHour = .nan
        let problems = config.problems()
        #expect(problems.contains { $0.contains("fatigueOnsetS") })
        #expect(problems.contains { $0.contains("contactTimeDriftPctPerHour") })
        #expect(problems.contains { $0.contains("stepTimeAsymmetryDriftPctPerHour") })
        #expect(problems.count == 3)
    }

    @Test func problemsNameTheBadFields() {
        var config = SynthConfig()
        #expect(config.problems().isEmpty)
        config.sampleRateHz = 0
        config.segments = [.running(durationS: 10, cadenceSpm: 0)]
        let problems = config.problems()
        #expect(problems.contains { $0.contains("sampleRateHz") })
        #expect(problems.contains { $0.contains("segment 0") })
    }

    @Test func presetsPlanTheirSegments() {
        #expect(SynthConfig.easyRun(durationS: 120).segments == [.running(durationS: 120)])
        let outing = SynthConfig.walkRunWalk(warmUpS: 60, runS: 600, stopS: 20, coolDownS: 60)
        #expect(outing.segments.map(\.kind) == [.walking, .running, .standing, .running, .walking])
        #expect(outing.nominalDurationS == 740)
    }
}

@Suite struct SynthRandomTests {
    @Test func sameSeedSameSequenceAndStreamsDiffer() {
        var a = SynthRandom(seed: 1), b = SynthRandom(seed: 1), c = SynthRandom(seed: 1, stream: 2)
        let sa = (0..<8).map { _ in a.next() }
        #expect(sa == (0..<8).map { _ in b.next() })
        #expect(sa != (0..<8).map { _ in c.next() })
    }

    @Test func noiseStreamIsStandardNormal() {
        var stream = SynthGaussianStream(seed: 2, stream: 0)
        let n = 400_000
        var sum = 0.0, squares = 0.0, fourth = 0.0, beyondTwo = 0
        for _ in 0..<n {
            let x = Double(stream.next())
            sum += x
            squares += x * x
            fourth += x * x * x * x
            if abs(x) > 2 { beyondTwo += 1 }
        }
        #expect(abs(sum / Double(n)) < 0.01)
        #expect(abs(squares / Double(n) - 1) < 0.01)
        #expect(abs(fourth / Double(n) - 3) < 0.1)  // kurtosis of a normal
        #expect(abs(Double(beyondTwo) / Double(n) - 0.0455) < 0.002)
    }
}

@Suite struct SynthRotationDecodingTests {
    @Test func decodingRejectsAMatrixThatIsNotARotation() {
        let json = #"{"matrix": [1, 0, 0, 0, 1, 0, 0, 0, -1]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SynthRotation.self, from: Data(json.utf8)) }
    }
}
