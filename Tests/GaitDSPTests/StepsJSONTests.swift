import Foundation
import GaitDSP
import GaitSynth
import Testing

/// The compact analysis document writes its steps itself (`GaitAnalysis+StepsJSON.swift`); it must
/// be byte for byte what `JSONEncoder` writes, or readers of stored documents would see a change.
struct StepsJSONTests {
    /// What `JSONEncoder` writes for the whole document, compact with sorted keys.
    static func encoderBytes(_ analysis: GaitAnalysis) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(analysis)
    }

    /// A real document (20 s of running) with its source and steps replaced.
    static func document(source: String, steps: [GaitStep]) -> GaitAnalysis {
        var analysis = SynthHarness.analyse(.easyRun(durationS: 20, sampleRateHz: 100, seed: 5)).analysis
        analysis.input.source = source
        analysis.steps = steps
        return analysis
    }

    @Test func aWalkRunWalkDocumentIsWhatJSONEncoderWrites() throws {
        // Walking and running with a gyroscope: every optional field of a step appears somewhere,
        // and the walking steps leave the running-only ones out.
        let config = SynthConfig.walkRunWalk(warmUpS: 30, runS: 60, stopS: 10, coolDownS: 20, sampleRateHz: 200, seed: 4)
        let analysis = SynthHarness.analyse(config).analysis
        #expect(analysis.steps.count > 200)
        #expect(analysis.steps.contains { $0.groundContactTimeS != nil } && analysis.steps.contains { $0.groundContactTimeS == nil })
        #expect(analysis.steps.contains { $0.pelvicRotationDeg != nil })
        let fast = try analysis.jsonData(prettyPrinted: false)
        #expect(fast == (try Self.encoderBytes(analysis)))
        #expect(try GaitAnalysis.decode(json: fast) == analysis)
    }

    @Test func unusualNumbersAndAbsentValuesAreWrittenAsJSONEncoderWritesThem() throws {
        let values: [Float] = [1, 0.1, 1e-7, 1e20, -0.0, 3.4028235e38, Float.leastNonzeroMagnitude, 100, 12_345_678, -2.5e-5, 0.5]
        var steps: [GaitStep] = []
        for (i, v) in values.enumerated() {
            steps.append(GaitStep(
                initialContactS: [0, 1e16, 1e15 + 0.5, 3600.0005, -0.0, Double.leastNonzeroMagnitude][i % 6], side: i % 3 == 0 ? nil : (i % 2 == 0 ? .left : .right),
                sideConfidence: v, activity: ActivityKind.allCases[i % ActivityKind.allCases.count], stepTimeS: i % 2 == 0 ? v : nil,
                impactPeakG: -v, loadingRateGPerS: i % 4 == 0 ? nil : v / 3, brakingPeakG: v, brakingVelocityLossMPS: 0,
                groundContactTimeS: i % 5 == 0 ? nil : v, finalContactS: i % 5 == 0 ? nil : Double(v) * 7,
                contactTimeQuality: v, peakVerticalForceBW: nil, verticalOscillationCm: v, pelvisTiltDeg: -v,
                pelvicRotationDeg: i % 2 == 1 ? v : nil, pelvicObliquityDeg: v))
        }
        steps.append(GaitStep(initialContactS: 2, activity: .walking, impactPeakG: 1, brakingPeakG: 0, brakingVelocityLossMPS: 0, pelvisTiltDeg: 0))
        let analysis = Self.document(source: #"a "quoted", back\slashed/file.csv"#, steps: steps)
        #expect(try analysis.jsonData(prettyPrinted: false) == (try Self.encoderBytes(analysis)))
    }

    @Test func aStepsKeyInsideAStringOrANestedObjectIsNotWhereTheStepsGo() throws {
        // The source file's name spells the key the steps are spliced into: it is a string and is skipped.
        let name = #"x","steps":[],"y"#
        let step = GaitStep(initialContactS: 1.25, side: .left, sideConfidence: 1, activity: .running, impactPeakG: 2,
                            brakingPeakG: 0.3, brakingVelocityLossMPS: 0.1, pelvisTiltDeg: 4)
        let analysis = Self.document(source: name, steps: [step])
        let fast = try analysis.jsonData(prettyPrinted: false)
        #expect(fast == (try Self.encoderBytes(analysis)))
        #expect(try GaitAnalysis.decode(json: fast).input.source == name)
        // A nested object with an empty "steps" array is not the top level's.
        let nested = Array(#"{"a":{"steps":[]},"steps":[],"z":1}"#.utf8)
        let range = nested.withUnsafeBufferPointer { GaitAnalysis.emptyTopLevelStepsRange(in: $0) }
        #expect(range.map { String(decoding: nested[$0], as: UTF8.self) } == "[]")
        #expect(range?.lowerBound == 26)
    }

    @Test func aStepValueThatIsNotFiniteFailsAsJSONEncoderFails() throws {
        var step = GaitStep(initialContactS: 1, activity: .running, impactPeakG: 2, brakingPeakG: 0.3, brakingVelocityLossMPS: 0.1, pelvisTiltDeg: 4)
        step.verticalOscillationCm = .nan
        let analysis = Self.document(source: "s", steps: [step])
        #expect(throws: EncodingError.self) { try analysis.jsonData(prettyPrinted: false) }
        #expect(throws: EncodingError.self) { try Self.encoderBytes(analysis) }
    }
}
