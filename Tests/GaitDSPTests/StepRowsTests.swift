import Foundation
import GaitDSP
import GaitSynth
import Testing

/// The per-step CSV writes its numbers itself (`FixedDecimal`); each line must be what
/// `String(format:)` wrote before, byte for byte.
struct StepRowsTests {
    /// The rows as `String(format:)` writes them (the code `stepRows()` had before `FixedDecimal`).
    static func formatterRows(_ analysis: GaitAnalysis) -> [String] {
        func f(_ v: Float?, _ digits: Int) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "" }
        return analysis.steps.map { s in
            [String(format: "%.4f", s.initialContactS), s.side?.rawValue ?? "", f(s.sideConfidence, 2), s.activity.rawValue,
             f(s.stepTimeS, 4), f(s.cadenceSpm, 1), f(s.impactPeakG, 3), f(s.loadingRateGPerS, 1), f(s.brakingPeakG, 3),
             f(s.brakingVelocityLossMPS, 3), f(s.groundContactTimeS, 3), f(s.verticalOscillationCm, 2), f(s.pelvisTiltDeg, 2),
             f(s.pelvicRotationDeg, 2), f(s.pelvicObliquityDeg, 2)].joined(separator: ",")
        }
    }

    @Test func aWalkRunWalkSessionsRowsAreWhatTheFormatterWrote() {
        let analysis = SynthHarness.analyse(.walkRunWalk(warmUpS: 30, runS: 60, stopS: 10, coolDownS: 20, sampleRateHz: 200, seed: 6)).analysis
        #expect(analysis.steps.count > 200)
        #expect(analysis.stepRows() == Self.formatterRows(analysis))
    }

    /// Values of every magnitude and sign, exact ties of the rounding (k / 2^j: 0.125 with two
    /// decimals is "0.12", 0.375 is "0.38"), values a hair either side of a tie, zero and its
    /// negative, negatives that round to "-0.00", subnormals, and numbers beyond 1e12.
    static func awkwardValues(count: Int) -> [Double] {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.125, 0.375, -0.125, 2.5, 0.5, 1.5, -0.5, 0.005, 0.015, 0.045, 1e-300, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude,
                                999_999_999_999.5, 1e12, -1e13, 3.4028234663852886e38, 0.00049999999, -0.004, 1234.56785]
        while values.count < count {
            switch values.count % 5 {
            case 0: values.append(Double.random(in: -1_000...1_000, using: &generator))
            case 1: values.append(Double(Int.random(in: -100_000...100_000, using: &generator)) / Double(1 << Int.random(in: 0...12, using: &generator)))
            case 2:
                let tie = Double(Int.random(in: -10_000...10_000, using: &generator)) / 1_000 + 0.0005
                values.append([tie, tie.nextUp, tie.nextDown][Int.random(in: 0...2, using: &generator)])
            case 3: values.append(Double(Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))))
            default: values.append(Double.random(in: -1...1, using: &generator) * pow(10, Double.random(in: -12...14, using: &generator)))
            }
        }
        return values.filter(\.isFinite)
    }

    @Test(arguments: [0, 1, 2, 3, 4, 6])
    func everyValueIsWrittenAsTheFormatterWritesIt(digits: Int) {
        var mismatches: [String] = []
        for value in Self.awkwardValues(count: 40_000) {
            let expected = String(format: "%.\(digits)f", value)
            let written = FixedDecimal.text(value, digits: digits)
            if written != expected, mismatches.count < 5 { mismatches.append("\(value): \(written) ≠ \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
