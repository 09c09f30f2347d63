import GaitInference
import InferenceScenarios
import Testing

/// Issue 5: shoe wear across 60 synthetic sessions with a slowly rising impact is flagged within
/// the first 10 sessions after the rise passes the threshold, and not before.
@Suite("Shoe wear over a shoe's life")
struct ShoeWearSequenceTests {
    @Test("Flagged within 10 sessions after the true rise passes the threshold, never before", arguments: [
        (seed: UInt64(11), riseStartsAfter: 15, risePerSession: 0.006),
        (seed: UInt64(12), riseStartsAfter: 10, risePerSession: 0.004),
        (seed: UInt64(13), riseStartsAfter: 20, risePerSession: 0.01),
    ])
    func flaggedSoonAfterTheThresholdAndNotBefore(seed: UInt64, riseStartsAfter: Int, risePerSession: Double) throws {
        let sequence = ShoeWearSequence(sessionCount: 60, riseStartsAfter: riseStartsAfter, risePerSession: risePerSession, seed: seed)
        let outcome = sequence.run()
        let crossing = try #require(sequence.firstSessionPastThreshold)
        let first = try #require(outcome.firstFlagged, "never flagged; measured impact \(outcome.measuredImpactG)")
        print("seed \(seed): true rise passes \(Int(ShoeWearRule.impactRise * 100)) % at session \(crossing), first flag at \(first) (\(sequence.runner.gait.sampleRateHz) Hz)")
        #expect(first >= crossing, "flagged at \(first), before the true rise passed the threshold at \(crossing); measured \(outcome.measuredImpactG)")
        #expect(first < crossing + 10, "flagged at \(first), more than 10 sessions after \(crossing); measured \(outcome.measuredImpactG)")
        // Once flagged, a worn shoe stays flagged on its comparable runs (interval runs are skipped).
        let later = outcome.flagged[first...].enumerated().filter { (first + $0.offset) % 7 != 6 }
        #expect(later.allSatisfy { $0.element != nil })
    }
}
