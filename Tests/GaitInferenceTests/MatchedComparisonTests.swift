import Foundation
import GaitDSP
@testable import GaitInference
import GaitSynth
import InferenceScenarios
import Testing

/// With the runner's watch, comparisons are matched for speed: a fast run is compared with their
/// fast runs, not with their easy ones.
@Suite("Matched comparisons")
struct MatchedComparisonTests {
    /// A run at `speed` m/s whose impact is `impact` g, analysed, with its per-minute speed.
    static func run(impact: Double, speed: Double, seed: UInt64) -> (GaitAnalysis, SessionSpeed) {
        var config = SynthConfig(sampleRateHz: 200, seed: seed, segments: [.running(durationS: 900, cadenceSpm: 172, speedMps: speed)])
        config.impactPeakG = impact
        config.mountRotation = .identity
        let analysis = ScenarioAnalysis.analyse(config).0
        let minutes = (0..<16).map { SessionSpeed.Minute(startS: Double($0) * 60, speedMPS: speed, gradePct: 0.3, watchCadenceSPM: 172) }
        return (analysis, SessionSpeed(source: "test", offsetS: 0, method: "clock", cadenceCorrelation: 0.9, cadenceDifferenceSPM: 1,
                                       overlap: 1, distanceKm: speed * 0.9, minutes: minutes))
    }

    /// Earlier runs: six easy ones (3.0 m/s, impact 2.8 g) and six fast ones (3.9 m/s, impact 3.5 g).
    static func history() -> [SessionFacts] {
        (0..<12).map { k in
            let fast = k % 2 == 1
            let (analysis, speed) = run(impact: fast ? 3.5 : 2.8, speed: fast ? 3.9 : 3.0, seed: 40 + UInt64(k))
            var facts = SessionFacts(analysis: analysis, sessionKey: "e\(k)", startedAt: Scenario.referenceDate.addingTimeInterval(-Double(12 - k) * 86_400))
            facts.add(speed, timeline: RunTimeline(analysis: analysis))
            return facts
        }
    }

    @Test("a fast run with the impact of the runner's fast runs raises nothing when matched; unmatched it looks like a rise over their easy normal")
    func fastRunComparedWithFastRuns() throws {
        let history = Self.history()
        #expect(history.allSatisfy { $0.speedMPS != nil && ($0.stepLengthM ?? 0) > 0.9 })
        let (analysis, speed) = Self.run(impact: 3.5, speed: 3.9, seed: 99)
        let matched = GaitInferenceEngine.flags(for: analysis, context: InferenceContext(
            sessionKey: "now", startedAt: Scenario.referenceDate, history: history, speed: speed))
        #expect(!matched.contains { $0.topic == .highImpact }, "\(matched.map(\.id))")
        // Without the watch file, the same run is compared with all twelve runs and its impact is
        // beyond their normal (the easy runs pull the median down): flagged, and said to be unmatched.
        let historyWithoutSpeed = history.map { f -> SessionFacts in
            var f = f
            f.speedMPS = nil
            return f
        }
        let unmatched = GaitInferenceEngine.flags(for: analysis, context: InferenceContext(
            sessionKey: "now", startedAt: Scenario.referenceDate, history: historyWithoutSpeed.filter { $0.median(.impactPeakG).map { $0 < 3.2 } ?? false }))
        let flag = try #require(unmatched.first { $0.topic == .highImpact }, "\(unmatched.map(\.id))")
        #expect(flag.reference.description.contains("not matched for speed"))
        // With the watch and an easy run whose impact is as high as the fast runs', it is flagged against the easy runs.
        let (easyButHard, easySpeed) = Self.run(impact: 3.6, speed: 3.0, seed: 98)
        let rise = try #require(GaitInferenceEngine.flags(for: easyButHard, context: InferenceContext(
            sessionKey: "now", startedAt: Scenario.referenceDate, history: history, speed: easySpeed)).first { $0.topic == .highImpact })
        #expect(rise.reference.description.contains("matched for speed and slope") && rise.reference.sessionCount == 6, "\(rise.reference)")
    }

    @Test("a faster finish is a change of pace, not of form, when the watch says so")
    func fasterFinishIsNotLateRunChange() throws {
        // 20 min easy, then 10 min faster: cadence +6 %, impact +20 %, contact −10 %.
        var config = SynthConfig(sampleRateHz: 200, seed: 77, segments: [
            .walking(durationS: 180, cadenceSpm: 110, speedMps: 1.4),
            .running(durationS: 1200, cadenceSpm: 168, speedMps: 3.0),
            .running(durationS: 600, cadenceSpm: 178, speedMps: 3.6, effort: 1.25),
        ])
        config.mountRotation = .identity
        let analysis = ScenarioAnalysis.analyse(config).0
        let plain = GaitInferenceEngine.flags(for: analysis, context: InferenceContext(sessionKey: "now"))
        #expect(plain.contains { $0.topic == .lateRunDegradation }, "\(plain.map(\.id))")
        let minutes = (0..<33).map { k -> SessionSpeed.Minute in
            let t = Double(k) * 60
            return SessionSpeed.Minute(startS: t, speedMPS: t < 180 ? 1.4 : (t < 1380 ? 3.0 : 3.6), gradePct: 0)
        }
        let speed = SessionSpeed(source: "test", offsetS: 0, method: "clock", cadenceCorrelation: 0.95, cadenceDifferenceSPM: 1,
                                 overlap: 1, distanceKm: 5.6, minutes: minutes)
        let matched = GaitInferenceEngine.flags(for: analysis, context: InferenceContext(sessionKey: "now", speed: speed))
        #expect(!matched.contains { $0.topic == .lateRunDegradation }, "\(matched.map(\.id))")
    }
}
