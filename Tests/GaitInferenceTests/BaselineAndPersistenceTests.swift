import Foundation
import GaitDSP
import GaitInference
import GaitSynth
import InferenceScenarios
import Testing

/// Personal baselines replace population thresholds once trusted; persistence is said, and only
/// the runner's pain says to see a professional.
@Suite("Baselines and persistence")
struct BaselineAndPersistenceTests {
    /// A 15 min run of a healthy runner with the given step-time asymmetry, analysed.
    static func run(stepTimeAsymmetryPct: Double, seed: UInt64 = 5) -> GaitAnalysis {
        var runner = SyntheticRunner.healthy(seed: seed)
        runner.gait.stepTimeAsymmetryPct = stepTimeAsymmetryPct
        runner.gait.sampleRateHz = 100
        runner.gait.mountRotation = .identity
        let config = runner.config(segments: [.walking(durationS: 240, cadenceSpm: 110), runner.running(durationS: 900)], seed: seed)
        return ScenarioAnalysis.analyse(config).0
    }

    /// `count` earlier sessions like `analysis`, every other day, with the step-time SI replaced.
    static func history(like analysis: GaitAnalysis, count: Int, stepTimeSI: Double, flagIDs: (Int) -> [String] = { _ in [] }) -> [SessionFacts] {
        (0..<count).map { k in
            var f = SessionFacts(analysis: analysis, sessionKey: "earlier-\(k)",
                                 startedAt: Scenario.referenceDate.addingTimeInterval(-Double(2 * (count - k)) * 86_400))
            f.symmetryIndexPct[GaitMetric.stepTimeS.rawValue] = stepTimeSI + 0.3 * Double(k % 3 - 1)
            f.flagIDs = flagIDs(k)
            return f
        }
    }

    static func stepTimeFlag(_ analysis: GaitAnalysis, history: [SessionFacts]) -> GaitFlag? {
        GaitInferenceEngine.flags(for: analysis, context: InferenceContext(sessionKey: "now", startedAt: Scenario.referenceDate, history: history))
            .first { $0.id == "asymmetry.step_time_s" }
    }

    @Test("A runner's usual asymmetry becomes their normal once 5 runs are known; without a baseline only timing beyond Garmin's red zone shows")
    func usualAsymmetryIsNormalOnceTheBaselineIsTrusted() throws {
        let analysis = Self.run(stepTimeAsymmetryPct: 11)
        let measured = try #require(analysis.summary.metrics?.metrics["step_time_s"]?.symmetryIndexPct)
        // GaitSynth's +11 % lengthens the intervals that start at a left contact: the right steps.
        #expect(abs(measured + 11) < 1.5, "measured SI \(measured)")
        // No history, or too little: Garmin's red zone (8.8 %) shows it, as an observation.
        let alone = try #require(Self.stepTimeFlag(analysis, history: []))
        #expect(alone.reference.kind == .population)
        #expect(alone.kind == .observation && alone.severity == .low && alone.evidenceGrade == EvidenceGrade.none)
        let tooFew = try #require(Self.stepTimeFlag(analysis, history: Self.history(like: analysis, count: 4, stepTimeSI: Double(measured))))
        #expect(tooFew.reference.kind == .population)
        // Six earlier runs with the same asymmetry: it is this runner's normal.
        #expect(Self.stepTimeFlag(analysis, history: Self.history(like: analysis, count: 6, stepTimeSI: Double(measured))) == nil)
        // Six earlier symmetric runs: a departure from the runner's own normal.
        let departure = try #require(Self.stepTimeFlag(analysis, history: Self.history(like: analysis, count: 6, stepTimeSI: 0)))
        #expect(departure.reference.kind == .runnerBaseline)
        #expect(departure.reference.sessionCount == 6)
        #expect(departure.evidence.first?.reference.map { abs($0) < 0.5 } == true)
        // 5.5 %: inside healthy timing variation, nothing without a baseline.
        #expect(Self.stepTimeFlag(Self.run(stepTimeAsymmetryPct: 5.5), history: []) == nil)
    }

    @Test("A finding seen in 2 of the last 5 runs says so, but a measure never says to see a physiotherapist")
    func persistenceIsSaidNotEscalated() throws {
        let analysis = Self.run(stepTimeAsymmetryPct: 12)
        let first = try #require(Self.stepTimeFlag(analysis, history: []))
        #expect(!first.seeProfessional)
        let history = Self.history(like: analysis, count: 3, stepTimeSI: 12) { $0 == 0 ? [] : ["asymmetry.step_time_s"] }
        let persistent = try #require(Self.stepTimeFlag(analysis, history: history))
        #expect(!persistent.seeProfessional && persistent.severity == .low)
        #expect(!persistent.advice.contains { $0.contains("physiotherapist") })
        #expect(persistent.explanation.contains("2 of your last 3 runs"))
    }

    @Test("Only pain escalates: pain of 5, pain rising over three runs, or pain into the next day says to see a physiotherapist or doctor")
    func painEscalates() throws {
        let analysis = Self.run(stepTimeAsymmetryPct: 0)
        func pain(_ score: Int?, nextDay: Bool = false, earlier: [Int] = []) -> GaitFlag? {
            let history = earlier.enumerated().map { k, p in
                SessionFacts(analysis: analysis, sessionKey: "e\(k)", startedAt: Scenario.referenceDate.addingTimeInterval(-Double(earlier.count - k) * 86_400), painScore: p)
            }
            return GaitInferenceEngine.flags(for: analysis, context: InferenceContext(sessionKey: "now", startedAt: Scenario.referenceDate,
                                                                                     painScore: score, painLastedIntoNextDay: nextDay, history: history))
                .first { $0.topic == .pain }
        }
        #expect(pain(nil) == nil && pain(4) == nil && pain(2, earlier: [3, 4]) == nil && pain(3, earlier: [1, 2]) != nil)
        let strong = try #require(pain(7))
        #expect(strong.seeProfessional && strong.severity == .high && strong.kind == .warning && strong.evidenceGrade == .strong)
        #expect(strong.advice.first?.contains("physiotherapist or doctor") == true)
        #expect(try #require(pain(5)).severity == .moderate)
        #expect(try #require(pain(2, nextDay: true)).explanation.contains("next day"))
        #expect(try #require(pain(4, earlier: [2, 3])).explanation.contains("2 → 3 → 4"))
    }

    @Test("Overuse: a run more than 10 % longer than the longest of the last 30 days, with 30 days of history; short histories never")
    func overuseNeedsThirtyDaysAndASpike() {
        let analysis = Self.run(stepTimeAsymmetryPct: 0)
        func overuse(_ history: [SessionFacts], startedAt: Date?, minutes: Double) -> GaitFlag? {
            var a = analysis
            a.summary.activityTimeS[ActivityKind.running.rawValue] = minutes * 60
            return GaitInferenceEngine.flags(for: a, context: InferenceContext(sessionKey: "now", startedAt: startedAt, history: history))
                .first { $0.topic == .overuse }
        }
        func runs(days: [Double], minutes: Double) -> [SessionFacts] {
            days.enumerated().map { k, d in
                var f = SessionFacts(analysis: analysis, sessionKey: "r\(k)", startedAt: Scenario.referenceDate.addingTimeInterval(-d * 86_400))
                f.runningTimeS = minutes * 60
                return f
            }
        }
        // Three weeks of 40 min runs, then 60 min: too little history for the spike rule.
        let short = runs(days: [2, 4, 7, 9, 11, 14, 16, 18, 21], minutes: 40)
        #expect(overuse(short, startedAt: Scenario.referenceDate, minutes: 60) == nil)
        #expect(overuse(short, startedAt: nil, minutes: 60) == nil)
        // Five weeks: 60 min is 50 % beyond the longest 40 — a spike, against the training history, at most moderate.
        let long = short + runs(days: [23, 25, 28, 30, 32, 35], minutes: 40)
        let flag = overuse(long, startedAt: Scenario.referenceDate, minutes: 60)
        #expect(flag?.reference.kind == .trainingHistory)
        #expect(flag?.severity == .moderate && flag?.evidenceGrade == .weak)
        // 43 min is within 10 % of 40: nothing.
        #expect(overuse(long, startedAt: Scenario.referenceDate, minutes: 43) == nil)
    }
}
