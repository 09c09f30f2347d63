import BackstrideTestSupport
import Foundation
import Testing

/// The real `gait` executable over a real database: import with a runner and shoe, log pain, and
/// read the runner's trends back.
@Suite struct HistoryCommandTests {
    @Test func importedRunsOfARunnerShowAsTrendsWithShoeFlagsAndPain() throws {
        let folder = try temporaryDirectory(prefix: "backstride-history")
        let database = folder + "/db.sqlite"
        for k in 1...6 {
            let csv = folder + "/run\(k).csv"
            let asymmetry = k == 6 ? "9" : "0.5"
            #expect(try runGait(["simulate", "--duration", "360", "--seed", "\(k)", "--step-time-asymmetry", asymmetry, "-o", csv]).status == 0)
            let imported = try runGait(["import", csv, "--database", database, "--runner", "Dana", "--shoe", "Red trail",
                                        "--shoe-distance", "100", "--distance", "5", "--started-at", "2026-06-0\(k)T06:30:00Z"])
            #expect(imported.status == 0, "\(imported.standardError)")
        }
        // The sixth run's new asymmetry is flagged against the first five and printed by the import.
        let pain = try runGait(["pain", "6", "5", "--location", "lower back, left", "--database", database])
        #expect(pain.status == 0, "\(pain.standardError)")

        let json = try runGait(["history", "--runner", "Dana", "--format", "json", "--database", database])
        #expect(json.status == 0, "\(json.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let trends = try #require(object["trends"] as? [String: Any])
        #expect(trends["session_count"] as? Int == 6)
        let shoes = try #require(trends["shoes"] as? [[String: Any]])
        #expect(shoes.first?["run_count"] as? Int == 6)
        #expect(shoes.first?["distance_km"] as? Double == 130)
        let metrics = try #require(trends["metrics"] as? [[String: Any]])
        let stepSI = try #require(metrics.first { $0["measure"] as? String == "step_time_s.symmetry_index_pct" })
        #expect((stepSI["points"] as? [[String: Any]])?.count == 6)
        #expect((trends["pain"] as? [[String: Any]])?.first?["value"] as? Double == 5)
        let counts = try #require(object["flag_session_counts"] as? [String: Int])
        #expect(counts["asymmetry.step_time_s"] == 1, "\(counts)")

        let text = try runGait(["history", "--runner", "Dana", "--database", database])
        #expect(text.standardOutput.contains("Runner Dana: 6 session(s) from 2026-06-01 to 2026-06-06"))
        #expect(text.standardOutput.contains("Red trail: 6 run(s), 130 km"))
        let show = try runGait(["show", "6", "--database", database])
        #expect(show.standardOutput.contains("compared with: your own normal: median and spread of your last 5 runs"))
    }

    @Test func unknownRunnerAndBadPainAreClearErrors() throws {
        let database = try temporaryDirectory(prefix: "backstride-history") + "/db.sqlite"
        let unknown = try runGait(["history", "--runner", "Nobody", "--database", database])
        #expect(unknown.status == 66)
        #expect(unknown.standardError.contains("no runner named 'Nobody'"))
        let badScore = try runGait(["pain", "1", "11", "--database", database])
        #expect(badScore.status != 0)
        #expect(badScore.standardError.contains("0 to 10"))
        let missing = try runGait(["pain", "42", "3", "--database", database])
        #expect(missing.status == 66)
        #expect(missing.standardError.contains("no session with id 42"))
        let badDate = try runGait(["import", "x.csv", "--started-at", "yesterday", "--database", database])
        #expect(badDate.status != 0)
        #expect(badDate.standardError.contains("--started-at"))
    }

    @Test func painWithARedFlagSaysSeeADoctorUntilTheAlertIsCleared() throws {
        let folder = try temporaryDirectory(prefix: "backstride-alert")
        let database = folder + "/db.sqlite"
        let csv = folder + "/run.csv"
        #expect(try runGait(["simulate", "--duration", "360", "--seed", "3", "-o", csv]).status == 0)
        #expect(try runGait(["import", csv, "--database", database, "--runner", "Eva"]).status == 0)
        let unknown = try runGait(["pain", "1", "3", "--symptom", "dizziness", "--database", database])
        #expect(unknown.status != 0 && unknown.standardError.contains("unknown --symptom 'dizziness'"))
        let pain = try runGait(["pain", "1", "6", "--next-day", "--symptom", "night_pain", "--database", database])
        #expect(pain.status == 0, "\(pain.standardError)")
        #expect(pain.standardOutput.contains("Your back pain needs a look") && pain.standardOutput.contains("See a physiotherapist or doctor"))
        #expect(pain.standardOutput.contains("!! See a doctor now") && pain.standardOutput.contains("pain at night or at rest"))
        #expect(try runGait(["alert", "show", "--runner", "Eva", "--database", database]).standardOutput.contains("See a doctor now"))
        #expect(try runGait(["alert", "clear", "--runner", "Eva", "--by", "Dr Ruiz", "--database", database]).status == 0)
        #expect(try runGait(["alert", "show", "--runner", "Eva", "--database", database]).standardOutput.contains("no red-flag alert"))
        #expect(try runGait(["alert", "show", "--runner", "Nobody", "--database", database]).status == 65)
    }
}
