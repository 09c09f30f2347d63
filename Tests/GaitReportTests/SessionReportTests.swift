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

/// The session report of synthetic runs analysed by the real engine, and of a real store.
@Suite("Session report")
struct SessionReportTests {
    static let plotIDs = ["plot-impact-sides", "plot-cadence-impact", "plot-step-time-histogram", "plot-posture", "plot-symmetry-over-run"]

    @Test("the HTML is well formed: every element, each SVG included, is closed in order")
    func htmlIsWellFormed() {
        let html = SessionReport(document: ReportFixtures.fatigueRun).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(HTMLChecks.nestingProblem(html) == nil, "\(HTMLChecks.nestingProblem(html) ?? "")")
        #expect(HTMLChecks.count("<svg", in: html) == HTMLChecks.count("</svg>", in: html))
    }

    @Test("each plot is present by id with a title, axis labels with units and drawn content", arguments: SessionReportTests.plotIDs)
    func plotIsPresentWithContent(id: String) throws {
        let html = SessionReport(document: ReportFixtures.fatigueRun).html()
        let svg = try #require(HTMLChecks.svg(id: id, in: html), "no <svg id=\"\(id)\">")
        #expect(svg.contains("class=\"plot"))
        #expect(svg.contains("<title id=\"\(id)-title\">"))
        #expect(HTMLChecks.count("class=\"axis-label", in: svg) >= 2)
        #expect(svg.contains("(min)") || svg.contains("(ms)"), "the x axis names its unit")
        #expect(svg.contains("<path class=\"series") || svg.contains("class=\"bar "), "no line or bar drawn")
        #expect(!svg.contains(" d=\"\""))
        if id == "plot-impact-sides" { #expect(HTMLChecks.count("<circle", in: svg) > 100) }
    }

    @Test("the page is self-contained: no script, no external address, nothing fetched")
    func htmlFetchesNothing() {
        let html = SessionReport(document: ReportFixtures.fatigueRun).html()
        for forbidden in ["<script", "http://", "https://", "src=", "url(", "@import", "<link", "<iframe"] {
            #expect(!html.lowercased().contains(forbidden), "found \(forbidden)")
        }
    }

    @Test("a hostile runner name, shoe and pain note come out escaped")
    func hostileTextIsEscaped() {
        let hostile = "<script>alert('x')</script> & \"Co\""
        let report = SessionReport(document: ReportFixtures.fatigueRun, metadata: SessionReportMetadata(
            sessionID: 3, runnerName: hostile, startedAt: ReportFixtures.day(0), timeZone: "Europe/Berlin", shoeName: "<img src=x onerror=alert(1)>",
            painLog: [PainNote(score: 4, location: "<b>lower back</b>", note: "</td></tr></table><script>", recordedAt: ReportFixtures.day(0))]))
        let html = report.html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>lower"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(HTMLChecks.nestingProblem(html) == nil)
    }

    @Test("every flag appears with its severity, evidence, advice and, when set, the advice to see a physiotherapist")
    func flagsAppearWithEvidenceAndAdvice() throws {
        let document = ReportFixtures.fatigueRun
        let ids = document.flags.map(\.id)
        #expect(ids.contains("late_run_degradation"), "\(ids)")
        #expect(document.flags.allSatisfy { $0.kind != .warning || $0.topic == .pain }, "\(ids)")
        let html = SessionReport(document: document).html()
        for flag in document.flags {
            let article = try #require(html.range(of: "id=\"\(SessionReport.anchor(flag.id))\"").map { html[$0.lowerBound...] })
            let end = try #require(article.range(of: "</article>"))
            let text = article[..<end.lowerBound]
            #expect(text.contains(HTMLText.escape(flag.title)))
            #expect(text.contains("badge \(flag.severity.rawValue)"))
            for e in flag.evidence {
                #expect(text.contains(HTMLText.escape(SessionReport.measureWords(e.measure))))
                #expect(text.contains(HTMLText.readable(e.value)))
                if let t = e.threshold { #expect(text.contains(HTMLText.readable(t))) }
            }
            for a in flag.advice { #expect(text.contains(HTMLText.escape(a))) }
            #expect(text.contains("See a physiotherapist") == flag.seeProfessional)
        }
    }

    @Test("the late-run onset is marked on the cadence and impact plot at the flag's time")
    func lateRunOnsetIsMarked() throws {
        let document = ReportFixtures.fatigueRun
        let onset = try #require(document.flags.first { $0.topic == .lateRunDegradation }?.onsetS)
        #expect(onset > 1200 && onset < 2200, "onset \(onset) s, fatigue from 1380 s")
        let svg = try #require(HTMLChecks.svg(id: "plot-cadence-impact", in: SessionReport(document: document).html()))
        #expect(svg.contains("class=\"rule onset\""))
        #expect(svg.contains("late-run change from \(HTMLText.fixed(onset / 60, 0)) min"))
    }

    @Test("the left/right table names the worse side: the left, which lands 20 % harder; impact has no population line, so it is not flagged without a baseline")
    func leftRightTableHasTheWorseSide() throws {
        let report = SessionReport(document: ReportFixtures.fatigueRun)
        let impact = try #require(report.leftRight.first { $0.metric == .impactPeakG })
        #expect(impact.worseSide == .left)
        #expect(!impact.beyondThreshold && !impact.flagged && impact.thresholdPct == nil)
        #expect(report.leftRight.first { $0.metric == .stepTimeS }?.thresholdPct == 8.8)
        #expect(report.leftRight.map(\.metric).starts(with: [.stepTimeS, .groundContactTimeS, .impactPeakG, .loadingRateGPerS, .brakingPeakG]))
        #expect(report.leftRight.contains { $0.metric == .pelvicRotationDeg && $0.thresholdPct == nil })
        let html = report.html()
        let row = try #require(html.range(of: "data-metric=\"impact_peak_g\"").map { html[$0.lowerBound...] })
        let cells = row[..<row.range(of: "</tr>")!.lowerBound]
        #expect(cells.contains("<td class=\"worse-side\"><span class=\"left-side\">left</span></td>"))
        #expect(cells.contains("no published threshold"))
    }

    @Test("the CSV holds the analysis' numbers exactly: left/right medians, symmetry, per-minute series")
    func csvRoundTripsTheNumbers() throws {
        let document = ReportFixtures.fatigueRun
        let report = SessionReport(document: document)
        let rows = HTMLChecks.csvRows(report.csv())
        #expect(rows.first == SessionReport.csvHeader)
        #expect(rows.dropFirst().allSatisfy { $0.count == SessionReport.csvHeader.count })
        func column(_ name: String) -> Int { SessionReport.csvHeader.firstIndex(of: name)! }
        let statistics = try #require(document.analysis.summary.metrics?.metrics)
        let leftRight = rows.filter { $0[0] == "left_right" }
        #expect(leftRight.count == report.leftRight.count)
        for row in leftRight {
            let s = try #require(statistics[row[column("measure")]])
            #expect(Float(row[column("left")]) == s.leftMedian)
            #expect(Float(row[column("right")]) == s.rightMedian)
            #expect(Float(row[column("value")]) == s.median)
            #expect(Float(row[column("symmetry_index_pct")]) == s.symmetryIndexPct)
            #expect(row[column("worse_side")] == (s.worseSide?.rawValue ?? ""))
        }
        let timeline = RunTimeline(analysis: document.analysis, binS: report.binS)
        let cadence = rows.filter { $0[0] == "bin" && $0[column("measure")] == "cadence_spm" }
        #expect(cadence.count == timeline.bins.count)
        for (row, bin) in zip(cadence, timeline.bins) {
            #expect(Double(row[column("start_s")]) == bin.startS)
            #expect(Double(row[column("value")]) == bin.cadenceSpm)
        }
        let summaryCadence = try #require(rows.first { $0[0] == "summary" && $0[1] == "cadence_spm" })
        #expect(Float(summaryCadence[column("value")]) == document.analysis.summary.metrics?.cadenceSpm)
        #expect(rows.contains { $0[0] == "evidence" && $0[1].hasPrefix("late_run_degradation/") })
    }

    @Test("the JSON reads back to the same report, with snake_case keys")
    func jsonRoundTrips() throws {
        let report = SessionReport(document: ReportFixtures.fatigueRun, metadata: SessionReportMetadata(
            sessionID: 9, runnerName: "Ana", startedAt: ReportFixtures.day(1), timeZone: "UTC", shoeName: "Blue",
            painLog: [PainNote(score: 3, location: "lower back", atS: 1800, recordedAt: ReportFixtures.day(1))]))
        let json = try report.json()
        #expect(try SessionReport.decode(json: Data(json.utf8)) == report)
        for key in ["\"left_right\"", "\"symmetry_index_pct\"", "\"worse_side\"", "\"plotted_steps\"", "\"step_time_histogram\"", "\"pain_log\"", "\"not_measured\"", "\"onset_s\""] {
            #expect(json.contains(key), "missing \(key)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object.keys.allSatisfy { !$0.contains(where: \.isUppercase) })
        #expect(object["schema"] as? String == SessionReport.schemaIdentifier)
    }

    @Test("a 1 h run is drawn with at most 1500 individual steps, both sides, and one bin a minute")
    func hourRunIsThinned() {
        let document = ReportFixtures.hourRun
        #expect(document.analysis.steps.count > 9000)
        let report = SessionReport(document: document)
        #expect(report.plottedSteps.count <= SessionReport.maximumPlottedSteps && report.plottedSteps.count > 1000)
        #expect(Set(report.plottedSteps.map(\.side)) == [.left, .right])
        #expect(report.binS == 60 && report.bins.count >= 58)
        let html = report.html()
        #expect(HTMLChecks.nestingProblem(html) == nil)
        #expect(html.utf8.count < 1_000_000)
    }

    @Test("the step-time histogram counts every step with a side inside its range or as outside")
    func histogramCountsEveryStep() {
        let document = ReportFixtures.hourRun
        let h = StepTimeHistogram(analysis: document.analysis)
        let steps = document.analysis.steps.filter {
            $0.activity == .running && $0.sideConfidence >= 0.6 && $0.side != nil && ($0.stepTimeS ?? 0) > 0
        }
        #expect(h.leftCounts.reduce(0, +) + h.rightCounts.reduce(0, +) + h.outsideCount == steps.count)
        #expect(h.outsideCount < steps.count / 20)
        // GaitSynth's 6 % step-time asymmetry lengthens the intervals that start at a left
        // contact: the right steps, named by the foot that lands.
        #expect(h.rightMedianS! > h.leftMedianS!)
    }

    @Test("a stored session's report has its runner, shoe, start, stored flags and pain log")
    func storedSessionLoadsWithItsMetadata() throws {
        let folder = ReportFixtures.folder()
        let store = try ReportFixtures.store()
        var config = SynthConfig(sampleRateHz: 100, seed: 21, segments: [.running(durationS: 420, cadenceSpm: 172)])
        config.stepTimeAsymmetryPct = 13
        let id = try SessionIngest(store: store).ingestFile(path: try SyntheticRun.csv(config, in: folder, name: "asym")).id
        let runner = try #require(try store.runner(named: "Ana <admin>", create: true))
        let shoe = try #require(try store.shoe(named: "Blue & Red", runnerID: runner.id!, create: true, distanceSoFarKm: 100))
        try store.assign(sessionID: id, runnerID: runner.id, shoeID: shoe.id, distanceKm: 6, startedAt: ReportFixtures.day(2))
        _ = try store.addPain(PainLogEntry(sessionId: id, painScore: 5, location: "lower back, left", note: "after 5 km"))
        SessionIngest(store: store).reinferRunner(runnerID: runner.id!)

        let report = try #require(try StoredReports.session(id, in: store))
        #expect(report.sessionID == id && report.runnerName == "Ana <admin>" && report.shoeName == "Blue & Red")
        #expect(report.startedAt == ReportFixtures.day(2))
        #expect(report.flags == (try store.storedFlags(sessionID: id)))
        #expect(report.flags.contains { $0.id == "asymmetry.step_time_s" })
        // Pain of 5 after the run: the one finding that says to see a physiotherapist or doctor.
        #expect(report.flags.contains { $0.id == "pain" && $0.seeProfessional })
        #expect(report.painLog.map(\.score) == [5])
        let html = report.html()
        #expect(html.contains("Ana &lt;admin&gt;") && html.contains("Blue &amp; Red") && html.contains("after 5 km"))
        #expect(try StoredReports.session(999, in: store) == nil)
    }
}
