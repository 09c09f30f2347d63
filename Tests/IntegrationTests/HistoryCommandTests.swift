import BackstrideTestSupport
import Foundation
import GaitSynth
import Testing

/// The real `gait` executable over a real database: import with a runner and shoe, log pain, and
/// read the runner's trends back.
@Suite(.ownThreads) struct HistoryCommandTests {
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

    @Test func importWithAWatchFilePairsItOrRefusesIt() throws {
        let folder = try temporaryDirectory(prefix: "backstride-watch")
        let database = folder + "/db.sqlite"
        let config = SynthConfig(sampleRateHz: 100, seed: 4, segments: [
            .walking(durationS: 120, cadenceSpm: 110, speedMps: 1.4), .running(durationS: 300, cadenceSpm: 164, speedMps: 3.0),
            .running(durationS: 240, cadenceSpm: 182, speedMps: 3.8), .walking(durationS: 90, cadenceSpm: 108, speedMps: 1.3),
        ])
        let csv = try SyntheticRun.csv(config, in: folder, name: "run")
        let start = 1_780_000_000.0
        let gpx = try SyntheticWatch.write(config, startUTC: start + 12, in: folder, name: "watch")
        let paired = try runGait(["import", csv, "--watch", gpx, "--started-at", "2026-05-28T20:26:40Z", "--runner", "Ida", "--database", database])
        #expect(paired.status == 0, "\(paired.standardError)")
        #expect(paired.standardOutput.contains("paired with GPX") && paired.standardOutput.contains("watch.gpx"), "\(paired.standardOutput)")
        #expect(paired.standardOutput.contains("watch clock +1"), "\(paired.standardOutput)")
        let show = try runGait(["show", "1", "--database", database])
        #expect(show.standardOutput.contains("paired with GPX"), "\(show.standardOutput)")
        // The watch of another run: refused with its numbers, exit 65, nothing stored.
        let other = SynthConfig(sampleRateHz: 100, seed: 9, segments: [
            .running(durationS: 400, cadenceSpm: 184, speedMps: 3.9), .walking(durationS: 100, cadenceSpm: 110, speedMps: 1.4),
            .running(durationS: 250, cadenceSpm: 160, speedMps: 2.9),
        ])
        let csv2 = try SyntheticRun.csv(Self.differentRun(), in: folder, name: "run2")
        let wrong = try SyntheticWatch.write(other, startUTC: start, in: folder, name: "other")
        let refused = try runGait(["import", csv2, "--watch", wrong, "--started-at", "2026-05-28T20:26:40Z", "--database", database])
        #expect(refused.status == 65 && refused.standardError.contains("other.gpx"), "\(refused.standardError)")
        #expect(try runGait(["sessions", "--database", database]).standardOutput.components(separatedBy: "\n").filter { $0.contains("run2.csv") }.isEmpty)
    }

    static func differentRun() -> SynthConfig {
        SynthConfig(sampleRateHz: 100, seed: 10, segments: [
            .walking(durationS: 120, cadenceSpm: 110, speedMps: 1.4), .running(durationS: 300, cadenceSpm: 166, speedMps: 3.1),
            .running(durationS: 240, cadenceSpm: 180, speedMps: 3.7), .walking(durationS: 90, cadenceSpm: 108, speedMps: 1.3),
        ])
    }
}
