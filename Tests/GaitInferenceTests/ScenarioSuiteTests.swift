import GaitInference
import InferenceScenarios
import Testing

/// The scenario suite of issue 5: healthy synthetic runs raise no flag, runs with a condition
/// raise its flag at the given severity. Every run has its own random runner, clip orientation,
/// sampling rate and noise (see `SyntheticRunner.healthy`).
@Suite("Scenario suite")
struct ScenarioSuiteTests {
    @Test("Fewer than 2 % of 200 healthy runs raise any warning (observations excluded)")
    func healthyRunsRaiseNoFlag() {
        let suite = ScenarioSuite.run(ScenarioCatalogue.healthy(count: 200, seed: 7))
        print(suite.report())
        let rate = suite.falsePositiveRate ?? 1
        #expect(rate < 0.02, "\(suite.report())")
    }

    @Test("Fewer than 2 % of 100 healthy runs with four weeks of history raise any warning (observations excluded)")
    func healthyRunsWithHistoryRaiseNoFlag() {
        let suite = ScenarioSuite.run(ScenarioCatalogue.healthyWithHistory(count: 100, seed: 7))
        print(suite.report())
        #expect((suite.falsePositiveRate ?? 1) < 0.02, "\(suite.report())")
    }

    @Test("Fewer than 2 % of 60 healthy runners whose pace varies ±15 % between and within runs, and whose clip sometimes sits differently, raise a warning")
    func varyingPaceRaisesNoWarning() {
        let suite = ScenarioSuite.run(ScenarioCatalogue.healthyVaryingPace(count: 60, seed: 7))
        print(suite.report())
        #expect((suite.falsePositiveRate ?? 1) < 0.02, "\(suite.report())")
    }

    @Test("Fewer than 2 % of 40 healthy hilly runs with a watch raise a warning (compared on their near-level minutes), and without the hills' grades the downhill impact would")
    func hillyRunsWithAWatch() {
        let scenarios = ScenarioCatalogue.healthyHillyWithWatch(count: 40, seed: 7)
        let suite = ScenarioSuite.run(scenarios)
        print(suite.report())
        #expect((suite.falsePositiveRate ?? 1) < 0.02, "\(suite.report())")
        // The same runs told only the speed, every minute near-level: the downhill blocks now count.
        let blind = scenarios.prefix(10).map { scenario -> Scenario in
            var s = scenario
            let flat = (scenario.speed?.minutes ?? []).map { m -> SessionSpeed.Minute in
                var m = m
                m.gradePct = 0
                return m
            }
            s.speed?.minutes = flat
            return s
        }
        let blindSuite = ScenarioSuite.run(Array(blind))
        print(blindSuite.report())
        #expect((blindSuite.falsePositiveRate ?? 0) >= 0.3, "\(blindSuite.report())")
    }

    @Test("Three steady weeks never raise overuse; runs every third day, each a minute longer, with pain rising over the weeks raise neither overuse nor a pain link")
    func shortAndLengtheningHistories() {
        let suite = ScenarioSuite.run(ScenarioCatalogue.steadyAndLengtheningHistories(count: 20, seed: 7))
        print(suite.report())
        for outcome in suite.outcomes {
            let wrong = outcome.flags.filter { $0.topic == .overuse || $0.topic == .painLink }
            #expect(wrong.isEmpty, "\(outcome.name): \(wrong.map { "\($0.id): \($0.explanation)" })")
        }
    }

    @Test("Floors hold on a seed not used for tuning (11): healthy runs, varying pace, and every condition")
    func untunedSeed() {
        let healthy = ScenarioSuite.run(ScenarioCatalogue.healthy(count: 60, seed: 11) + ScenarioCatalogue.healthyWithHistory(count: 30, seed: 11)
                                        + ScenarioCatalogue.healthyVaryingPace(count: 30, seed: 11))
        print(healthy.report())
        #expect((healthy.falsePositiveRate ?? 1) < 0.02, "\(healthy.report())")
        let conditions = ScenarioSuite.run(FlagKind.allCases.flatMap { ScenarioCatalogue.condition($0, count: 20, seed: 11) })
        print(conditions.report())
        for (kind, detected, total) in conditions.detectionRates {
            // Every finding holds the 95 % floor on this seed. (Asymmetry was held at 90 % until the
            // DSP's sides were decided per neighbourhood of steps and contact-time asymmetry was
            // measured from the flight bounds, issue 12; the one miss left is a 100 Hz run whose
            // 13.8 % contact-time asymmetry, with 30 ms flights, reads 7.5 %.)
            let floor = 0.95
            #expect(Double(detected) / Double(total) >= floor, "\(kind): \(detected)/\(total)")
        }
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
