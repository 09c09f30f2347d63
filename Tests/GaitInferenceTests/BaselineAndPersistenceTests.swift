import Foundation
import GaitDSP
import GaitInference
import GaitSynth
import InferenceScenarios
import Testing

/// Personal baselines replace population thresholds once trusted; persistent or serious patterns
/// add the advice to see a professional.
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

    @Test("A runner's usual asymmetry becomes their normal once 5 runs are known")
    func usualAsymmetryIsNormalOnceTheBaselineIsTrusted() throws {
        let analysis = Self.run(stepTimeAsymmetryPct: 5.5)
        let measured = try #require(analysis.summary.metrics?.metrics["step_time_s"]?.symmetryIndexPct)
        #expect(abs(measured - 5.5) < 1.5, "measured SI \(measured)")
        // No history, or too little: the population threshold (4 %) flags it.
        let alone = try #require(Self.stepTimeFlag(analysis, history: []))
        #expect(alone.reference.kind == .population)
        let tooFew = try #require(Self.stepTimeFlag(analysis, history: Self.history(like: analysis, count: 4, stepTimeSI: Double(measured))))
        #expect(tooFew.reference.kind == .population)
        // Six earlier runs with the same asymmetry: it is this runner's normal.
        #expect(Self.stepTimeFlag(analysis, history: Self.history(like: analysis, count: 6, stepTimeSI: Double(measured))) == nil)
        // Six earlier symmetric runs: a departure from the runner's own normal.
        let departure = try #require(Self.stepTimeFlag(analysis, history: Self.history(like: analysis, count: 6, stepTimeSI: 0)))
        #expect(departure.reference.kind == .runnerBaseline)
        #expect(departure.reference.sessionCount == 6)
        #expect(departure.evidence.first?.reference.map { abs($0) < 0.5 } == true)
    }

    @Test("A flag raised in 2 of the last 5 runs says to see a physiotherapist; a first moderate one does not")
    func persistentFlagAdvisesAProfessional() throws {
        let analysis = Self.run(stepTimeAsymmetryPct: 6)
        let first = try #require(Self.stepTimeFlag(analysis, history: []))
        #expect(first.severity == .moderate)
        #expect(!first.seeProfessional)
        let history = Self.history(like: analysis, count: 3, stepTimeSI: 6) { $0 == 0 ? [] : ["asymmetry.step_time_s"] }
        let persistent = try #require(Self.stepTimeFlag(analysis, history: history))
        #expect(persistent.seeProfessional)
        #expect(persistent.advice.contains { $0.contains("physiotherapist") })
        #expect(persistent.explanation.contains("2 of your last 3 runs"))
    }

    @Test("A high-severity body finding says to see a professional")
    func highSeverityAdvisesAProfessional() throws {
        let flag = try #require(Self.stepTimeFlag(Self.run(stepTimeAsymmetryPct: 12), history: []))
        #expect(flag.severity == .high)
        #expect(flag.seeProfessional)
    }

    @Test("Training load is judged only with dated history of at least 3 weeks")
    func overuseNeedsDatedHistory() {
        let analysis = Self.run(stepTimeAsymmetryPct: 0)
        func overuse(_ history: [SessionFacts], startedAt: Date?) -> GaitFlag? {
            GaitInferenceEngine.flags(for: analysis, context: InferenceContext(sessionKey: "now", startedAt: startedAt, history: history))
                .first { $0.kind == .overuse }
        }
        // A big week after two quiet weeks: too little history to compute a 4-week ratio.
        var short = Self.history(like: analysis, count: 6, stepTimeSI: 0)
        for i in short.indices { short[i].runningTimeS = 3600 }
        short.append(SessionFacts(analysis: analysis, sessionKey: "old", startedAt: Scenario.referenceDate.addingTimeInterval(-14 * 86_400)))
        #expect(overuse(short, startedAt: Scenario.referenceDate) == nil)
        #expect(overuse(short, startedAt: nil) == nil)
        // The same big week after four quiet weeks: flagged, against the training history.
        var long = short
        for week in 2...4 {
            var f = SessionFacts(analysis: analysis, sessionKey: "w\(week)", startedAt: Scenario.referenceDate.addingTimeInterval(-Double(7 * week + 1) * 86_400))
            f.runningTimeS = 1800
            long.append(f)
        }
        let flag = overuse(long, startedAt: Scenario.referenceDate)
        #expect(flag?.reference.kind == .trainingHistory)
        #expect((flag?.severity ?? .low) >= .moderate)
    }
}
