import GaitInference
import InferenceScenarios
import Testing

/// The scenario suite of issue 5: healthy synthetic runs raise no flag, runs with a condition
/// raise its flag at the given severity. Every run has its own random runner, clip orientation,
/// sampling rate and noise (see `SyntheticRunner.healthy`).
@Suite("Scenario suite")
struct ScenarioSuiteTests {
    @Test("Fewer than 2 % of 200 healthy runs raise any flag")
    func healthyRunsRaiseNoFlag() {
        let suite = ScenarioSuite.run(ScenarioCatalogue.healthy(count: 200, seed: 7))
        print(suite.report())
        let rate = suite.falsePositiveRate ?? 1
        #expect(rate < 0.02, "\(suite.report())")
    }

    @Test("Fewer than 2 % of 100 healthy runs with four weeks of history raise any flag")
    func healthyRunsWithHistoryRaiseNoFlag() {
        let suite = ScenarioSuite.run(ScenarioCatalogue.healthyWithHistory(count: 100, seed: 7))
        print(suite.report())
        #expect((suite.falsePositiveRate ?? 1) < 0.02, "\(suite.report())")
    }

    @Test("At least 95 % of runs with a condition raise its flag at the given severity", arguments: FlagKind.allCases)
    func conditionRunsRaiseTheirFlag(kind: FlagKind) {
        let suite = ScenarioSuite.run(ScenarioCatalogue.condition(kind, count: 20, seed: 7))
        print(suite.report())
        guard let (_, detected, total) = suite.detectionRates.first else {
            Issue.record("no runs for \(kind)")
            return
        }
        #expect(Double(detected) / Double(total) >= 0.95, "\(suite.report())")
    }
}
