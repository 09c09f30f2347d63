import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import GaitSynth
import SessionIngest
import SessionStore
import Testing
@testable import GaitReport
import GaitServer

/// The runner report of a real store: eight dated runs in one shoe whose impact rises after the
/// fifth run, pain logged after three of them, and a step-time asymmetry in the last.
@Suite("Runner report")
struct RunnerReportTests {
    struct Fixture: @unchecked Sendable {
        let store: SQLiteSessionStore
        let runnerID: Int64
        let shoeKey: String
        let sessionIDs: [SessionID]
        let pain: [Int: Int]
    }

    static let runnerName = "Ben <script>alert(1)</script>"

    static let fixture: Fixture = {
        let folder = ReportFixtures.folder()
        let store = try! ReportFixtures.store()
        let runner = try! store.runner(named: runnerName, create: true)!
        let shoe = try! store.shoe(named: "Trail \"X\"", runnerID: runner.id!, create: true, distanceSoFarKm: 50)!
        let pain = [1: 1, 4: 3, 7: 6]
        var ids: [SessionID] = []
        for k in 0..<8 {
            var config = SynthConfig(sampleRateHz: 100, seed: 40 + UInt64(k), segments: [.running(durationS: 360, cadenceSpm: 172)])
            config.impactPeakG = k < 5 ? 3.0 : 3.6
            if k == 7 { config.stepTimeAsymmetryPct = 9 }
            let id = try! SessionIngest(store: store).ingestFile(path: try! SyntheticRun.csv(config, in: folder, name: "run-\(k)")).id
            try! store.assign(sessionID: id, runnerID: runner.id, shoeID: shoe.id, distanceKm: 6, startedAt: ReportFixtures.day(3 * k))
            if let score = pain[k] {
                _ = try! store.addPain(PainLogEntry(sessionId: id, painScore: score, location: "lower back", note: "run \(k)", recordedAt: ReportFixtures.day(3 * k)))
            }
            ids.append(id)
        }
        SessionIngest(store: store).reinferRunner(runnerID: runner.id!)
        return Fixture(store: store, runnerID: runner.id!, shoeKey: String(shoe.id!), sessionIDs: ids, pain: pain)
    }()

    static func report() throws -> RunnerReport {
        try #require(try StoredReports.runner(fixture.runnerID, in: fixture.store))
    }

    @Test("the HTML is well formed, fetches nothing and escapes the runner's name and the shoe's")
    func htmlIsWellFormedAndEscaped() throws {
        let html = try Self.report().html()
        #expect(HTMLChecks.nestingProblem(html) == nil, "\(HTMLChecks.nestingProblem(html) ?? "")")
        #expect(!html.contains("<script"))
        #expect(html.contains("Ben &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Trail &quot;X&quot;"))
        for forbidden in ["http://", "https://", "src=", "url(", "@import"] { #expect(!html.contains(forbidden), "found \(forbidden)") }
    }

    @Test("the pain log is drawn on the asymmetry plot's time axis, one bar per session with a score")
    func painIsOnTheAsymmetryTimeAxis() throws {
        let report = try Self.report()
        #expect(report.dated)
        #expect(report.sessions.compactMap(\.painScore) == [1, 3, 6])
        #expect(report.sessions.filter { $0.painScore != nil }.map(\.x) == [3, 12, 21], "days since the first run")
        let svg = try #require(HTMLChecks.svg(id: "plot-asymmetry-trend", in: report.html()))
        #expect(HTMLChecks.count("class=\"bar pain\"", in: svg) == 3)
        #expect(svg.contains("pain (0–10)"))
        #expect(svg.contains("days since the first session"))
        #expect(report.asymmetry.map(\.measure).contains("step_time_s.symmetry_index_pct"))
        #expect(report.asymmetry.allSatisfy { $0.points.count == 8 || $0.measure.hasPrefix("pelvic") })
    }

    @Test("the shoe's impact is plotted run by run against its first runs, and its rise is reported")
    func shoeTrendShowsTheRise() throws {
        let report = try Self.report()
        let shoe = try #require(report.shoes.first)
        #expect(shoe.name == "Trail \"X\"" && shoe.runCount == 8 && shoe.points.map(\.x) == Array(1...8).map(Double.init))
        let rise = try #require(shoe.impactRisePct)
        #expect(rise > 10, "impact 3.0 → 3.6 g at the clip's total peak")
        #expect(shoe.points.suffix(3).allSatisfy { p in shoe.points.prefix(5).allSatisfy { $0.value < p.value } })
        let svg = try #require(HTMLChecks.svg(id: "plot-shoe-\(Self.fixture.shoeKey)", in: report.html()))
        #expect(svg.contains("class=\"plot shoe-trend\""))
        #expect(HTMLChecks.count("<circle", in: svg) >= 8)
        #expect(svg.contains("first runs \(HTMLText.fixed(shoe.firstRunsImpactG!, 2)) g"))
    }

    @Test("each flagged measure is plotted across sessions with the sessions that raised it marked")
    func flaggedMeasuresAreTracked() throws {
        let report = try Self.report()
        let series = try #require(report.flaggedMeasures.first { $0.flagID == "asymmetry.step_time_s" })
        #expect(series.points.count == 8)
        #expect(series.points.last?.flagged == true && series.points.first?.flagged == false)
        #expect(series.threshold == 8.8 && series.thresholdBothWays)
        let html = report.html()
        let svg = try #require(HTMLChecks.svg(id: "plot-flag-asymmetry.step_time_s", in: html))
        #expect(svg.contains("dots flagged"))
        #expect(svg.contains("class=\"bar pain\""))
        for id in report.flaggedMeasures.map(\.flagID) {
            #expect(HTMLChecks.svg(id: "plot-flag-" + String(SessionReport.anchor(id).dropFirst(5)), in: html) != nil, "no plot for \(id)")
        }
    }

    @Test("the sessions are listed in start order with their flags and pain, and weekly running time is plotted")
    func sessionsAndWeeksAppear() throws {
        let report = try Self.report()
        #expect(report.sessions.map(\.sessionKey) == Self.fixture.sessionIDs.map { String($0) })
        let stored = try Self.fixture.store.storedFlags(sessionID: Self.fixture.sessionIDs[7])
        #expect(report.sessions[7].flags.map(\.id) == stored.map(\.id))
        let html = report.html()
        #expect(HTMLChecks.count("<tr data-session=", in: html) == 8)
        for flag in stored { #expect(html.contains(HTMLText.escape(flag.title))) }
        let weekly = try #require(HTMLChecks.svg(id: "plot-weekly-running", in: html))
        #expect(HTMLChecks.count("class=\"bar time\"", in: weekly) == report.trends.weeks.count)
        #expect(weekly.contains("pain 6"))
    }

    @Test("the CSV has one row per session with the stored medians, symmetry indices, pain and flags")
    func csvHasTheStoredNumbers() throws {
        let report = try Self.report()
        let rows = HTMLChecks.csvRows(report.csv())
        #expect(rows.first == RunnerReport.csvHeader)
        let history = try Self.fixture.store.history(runnerID: Self.fixture.runnerID)
        #expect(rows.count == history.count + 1)
        let header = RunnerReport.csvHeader
        for (row, facts) in zip(rows.dropFirst(), history) {
            #expect(row[0] == facts.sessionKey)
            #expect(Double(row[header.firstIndex(of: "cadence_spm")!]) == facts.cadenceSpm)
            #expect(Double(row[header.firstIndex(of: "impact_peak_g")!]) == facts.median(.impactPeakG))
            #expect(Double(row[header.firstIndex(of: "step_time_s.symmetry_index_pct")!]) == facts.symmetryIndexPct["step_time_s"])
            #expect(row[header.firstIndex(of: "pain_score")!] == (facts.painScore.map(String.init) ?? ""))
            #expect(row[header.firstIndex(of: "flags")!].split(separator: ";").map { String($0.split(separator: ":")[0]) } == facts.flagIDs)
        }
        #expect(rows[1][header.firstIndex(of: "shoe")!] == "Trail \"X\"")
    }

    @Test("the JSON reads back to the same report, with snake_case keys")
    func jsonRoundTrips() throws {
        let report = try Self.report()
        let json = try report.json()
        #expect(try RunnerReport.decode(json: Data(json.utf8)) == report)
        for key in ["\"flagged_measures\"", "\"pain_score\"", "\"impact_rise_pct\"", "\"first_runs_impact_g\"", "\"running_minutes\"", "\"session_key\""] {
            #expect(json.contains(key), "missing \(key)")
        }
    }

    @Test("an unknown runner has no report")
    func unknownRunnerHasNoReport() throws {
        #expect(try StoredReports.runner(9_999, in: Self.fixture.store) == nil)
    }

    @Test("a history without dates uses the session order as its time axis and has no weeks")
    func undatedHistoryUsesSessionOrder() {
        let facts = (0..<3).map { k in
            SessionFacts(sessionKey: "s\(k)", runningTimeS: 600, stepCount: 1700, medians: ["cadence_spm": 170, "impact_peak_g": 3],
                         symmetryIndexPct: ["step_time_s": Double(k)], painScore: k == 2 ? 4 : nil, sampleRateHz: 100)
        }
        let report = RunnerReport(runnerName: "Cleo", history: facts)
        #expect(!report.dated && report.sessions.map(\.x) == [0, 1, 2])
        let html = report.html()
        #expect(HTMLChecks.nestingProblem(html) == nil)
        #expect(html.contains("session (in order"))
        #expect(HTMLChecks.svg(id: "plot-weekly-running", in: html)?.contains("No dated sessions") == true)
    }
}
