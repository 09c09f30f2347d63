import Foundation
import GaitDSP
import GaitInference

/// The runner report as a self-contained HTML page.
extension RunnerReport {
    /// The report as one HTML document: inline CSS and SVG, no script, nothing fetched; every
    /// text from the data (runner and shoe names, pain notes, flag titles) is escaped. Printable
    /// to A4: each section after the overview starts a page.
    public func html() -> String {
        var body = ""
        body.reserveCapacity(128 * 1024)
        body += headerHTML()
        if let alert { body += ReportPage.alertHTML(alert) }
        body += overviewHTML()
        body += asymmetryHTML()
        body += flaggedHTML()
        body += shoesHTML()
        body += trainingHTML()
        body += sessionsHTML()
        body += "<footer>Backstride runner report (\(Self.schemaIdentifier)). Session values are medians of each run's steps; "
            + "symmetry index after Robinson et al. 1987; slopes are Theil–Sen; weeks start on Monday (UTC). Flags never diagnose.</footer>"
        return ReportPage.document(title: "Runner report — \(runnerName)", body: body)
    }

    // MARK: - Sections

    func headerHTML() -> String {
        var subtitle = "<strong>\(HTMLText.escape(runnerName))</strong> · \(sessions.count) session\(sessions.count == 1 ? "" : "s")"
        if let firstDate, let lastDate { subtitle += " · \(UTCDate.day(firstDate)) to \(UTCDate.day(lastDate))" }
        return "<header><h1>Runner report</h1><p class=\"subtitle\">\(subtitle)</p></header>\n"
    }

    func overviewHTML() -> String {
        var html = "<section id=\"overview\"><h2>Overview</h2><dl class=\"facts\">"
        let running = sessions.reduce(0) { $0 + $1.runningTimeS }
        html += "<dt>Sessions</dt><dd>\(sessions.count)\(dated ? "" : " <span class=\"muted\">(not all dated: the time axis is the session order)</span>")</dd>"
        if let firstDate, let lastDate { html += "<dt>Period</dt><dd>\(UTCDate.day(firstDate)) to \(UTCDate.day(lastDate))</dd>" }
        html += "<dt>Running time</dt><dd>\(HTMLText.clock(running)) in all</dd>"
        if !shoes.isEmpty {
            html += "<dt>Shoes</dt><dd>" + shoes.map { "\(HTMLText.escape($0.name)) (\($0.runCount) run\($0.runCount == 1 ? "" : "s"), \(HTMLText.fixed($0.distanceKm, 0)) km)" }.joined(separator: "; ") + "</dd>"
        }
        let painCount = sessions.filter { $0.painScore != nil }.count
        html += "<dt>Pain log</dt><dd>\(painCount == 0 ? "no scores logged" : "\(painCount) session\(painCount == 1 ? "" : "s") with a score, highest \(sessions.compactMap(\.painScore).max()!)")</dd>"
        html += "</dl>"
        let flagged = flaggedMeasures.sorted { $0.flaggedSessionCount > $1.flaggedSessionCount }
        if flagged.isEmpty {
            html += "<p>No flags in any session.</p>"
        } else {
            html += "<p><strong>Flags across sessions</strong></p><ul>"
            for series in flagged {
                let latest = sessions.last { $0.raised(series.flagID) }?.flags.first { $0.id == series.flagID }
                html += "<li>"
                if let latest { html += "<span class=\"badge \(latest.severity.rawValue)\">\(latest.severity.rawValue)</span> " }
                html += "<a href=\"#\(SessionReport.anchor(series.flagID))\">\(HTMLText.escape(latest?.title ?? series.flagID))</a> — in \(series.flaggedSessionCount) of \(sessions.count) sessions"
                if sessions.contains(where: { $0.flags.contains { $0.id == series.flagID && $0.seeProfessional } }) { html += " — <strong>see a physiotherapist</strong>" }
                html += "</li>"
            }
            html += "</ul>"
        }
        html += "</section>\n"
        return html
    }

    func asymmetryHTML() -> String {
        var html = "<section id=\"asymmetry\" class=\"page\"><h2>Left/right asymmetry across sessions</h2>"
        html += Self.figure(asymmetryPlot(), caption: "Symmetry index of each running session (+ means the left value is larger; Robinson et al. 1987). "
            + "Whiskers: each session's 95 % interval (a change inside them is not a change). The green band (timing only) is Garmin's balance range, used until the runner has \(RunnerBaseline.minimumSessions) runs; red dots are sessions where asymmetry was shown. "
            + "The pain log is drawn below on the same time axis.")
        html += "<table class=\"asymmetry\"><thead><tr><th>Measure</th><th class=\"num\">Median SI</th><th class=\"num\">Latest SI</th><th>Normal range</th><th class=\"num\">Sessions flagged</th></tr></thead><tbody>"
        for series in asymmetry {
            let values = series.points.map(\.value)
            html += "<tr><td>\(HTMLText.escape(series.words))</td>"
            html += "<td class=\"num\">\(RobustStatistics.median(values).map { HTMLText.signed($0, 1) + " %" } ?? "–")</td>"
            html += "<td class=\"num\">\(series.points.last.map { HTMLText.signed($0.value, 1) + " %" } ?? "–")</td>"
            html += "<td>\(series.threshold.map { "|SI| &lt; " + HTMLText.fixed($0, 1) + " %" } ?? "your own normal")</td>"
            html += "<td class=\"num\">\(series.flaggedSessionCount)</td></tr>"
        }
        html += "</tbody></table></section>\n"
        return html
    }

    func flaggedHTML() -> String {
        var html = "<section id=\"flagged-measures\" class=\"page\"><h2>Flagged measures over time</h2>"
        if flaggedMeasures.isEmpty { html += "<p class=\"none\">No session raised a flag.</p>" }
        for series in flaggedMeasures {
            let latest = sessions.last { $0.raised(series.flagID) }?.flags.first { $0.id == series.flagID }
            html += "<h3 id=\"\(SessionReport.anchor(series.flagID))\">\(latest.map { "<span class=\"badge \($0.severity.rawValue)\">\($0.severity.rawValue)</span> " } ?? "")\(HTMLText.escape(latest?.title ?? series.flagID))</h3>"
            var caption = series.fromFlagEvidence
                ? "The flag's own measurement (\(series.words)) in each session that raised \(series.flagID) (\(series.flaggedSessionCount) of \(sessions.count)); the session reports show the run minute by minute."
                : "\(series.words.prefix(1).uppercased() + series.words.dropFirst()) per session; red dots: sessions that raised \(series.flagID) (\(series.flaggedSessionCount) of \(sessions.count))."
            if series.threshold != nil { caption += " Dashed lines: the population threshold." }
            caption += " Pain below, on the same time axis."
            html += Self.figure(flaggedPlot(series), caption: HTMLText.escape(caption))
        }
        html += "</section>\n"
        return html
    }

    func shoesHTML() -> String {
        var html = "<section id=\"shoes\" class=\"page\"><h2>Shoes</h2>"
        if shoes.isEmpty { return html + "<p class=\"none\">No shoes recorded (<code>gait import --shoe</code>).</p></section>\n" }
        html += "<table class=\"shoes\"><thead><tr><th>Shoe</th><th class=\"num\">Runs</th><th class=\"num\">Distance</th><th class=\"num\">Impact, first runs</th><th class=\"num\">Impact, recent</th><th class=\"num\">Change</th></tr></thead><tbody>"
        for shoe in shoes {
            html += "<tr><td>\(HTMLText.escape(shoe.name))</td><td class=\"num\">\(shoe.runCount)</td><td class=\"num\">\(HTMLText.fixed(shoe.distanceKm, 0)) km</td>"
            html += "<td class=\"num\">\(shoe.firstRunsImpactG.map { HTMLText.fixed($0, 2) + " g" } ?? "–")</td>"
            html += "<td class=\"num\">\(shoe.recentImpactG.map { HTMLText.fixed($0, 2) + " g" } ?? "–")</td>"
            html += "<td class=\"num\">\(shoe.impactRisePct.map { HTMLText.signed($0, 1) + " %" } ?? "after \(ShoeWearRule.firstRunCount + ShoeWearRule.recentRunCount) comparable runs")</td></tr>"
        }
        html += "</tbody></table>"
        for shoe in shoes {
            html += Self.figure(shoePlot(shoe), caption: HTMLText.escape(
                "Impact median of each run in \(shoe.name), in the order run. Midsole cushioning wears with use (commonly replaced after 500–800 km); a rise of \(HTMLText.fixed(ShoeWearRule.impactRise * 100, 0)) % over the first \(ShoeWearRule.firstRunCount) runs at a comparable cadence raises the shoe-wear flag."))
        }
        html += "</section>\n"
        return html
    }

    func trainingHTML() -> String {
        var html = "<section id=\"training\" class=\"page\"><h2>Training and trends</h2>"
        html += Self.figure(weeklyPlot(), caption: "Running time per week (weeks start Monday, UTC); the highest pain score of the week above its bar. "
            + "Rapid rises in weekly time (above about 30 % a week, Nielsen et al. 2014) are a caution.")
        html += "<table class=\"trends\"><thead><tr><th>Measure</th><th class=\"num\">Median</th><th class=\"num\">Spread</th><th class=\"num\">Slope per \(dated ? "30 days" : "10 sessions")</th><th class=\"num\">Latest</th><th class=\"num\">Sessions</th></tr></thead><tbody>"
        for m in trends.metrics where !m.points.isEmpty {
            html += "<tr><td>\(HTMLText.escape(m.words)) (\(HTMLText.escape(m.unit)))</td>"
            html += "<td class=\"num\">\(m.median.map(HTMLText.readable) ?? "–")</td><td class=\"num\">\(m.spread.map(HTMLText.readable) ?? "–")</td>"
            html += "<td class=\"num\">\(m.slopePer30Days.map { HTMLText.signed($0, 2) } ?? "–")</td>"
            html += "<td class=\"num\">\(m.points.last.map { HTMLText.readable($0.value) } ?? "–")</td><td class=\"num\">\(m.points.count)</td></tr>"
        }
        html += "</tbody></table></section>\n"
        return html
    }

    func sessionsHTML() -> String {
        var html = "<section id=\"sessions\" class=\"page\"><h2>Sessions</h2>"
        html += "<table class=\"sessions\"><thead><tr><th>Session</th><th>Date</th><th>Shoe</th><th class=\"num\">Running</th><th class=\"num\">Cadence</th><th class=\"num\">Impact</th><th class=\"num\">SI step / contact / impact</th><th>Pain</th><th>Flags</th></tr></thead><tbody>"
        for row in sessions {
            html += "<tr data-session=\"\(HTMLText.escape(row.sessionKey))\"><td>\(HTMLText.escape(row.sessionKey))</td>"
            html += "<td>\(row.startedAt.map(UTCDate.day) ?? "–")</td><td>\(HTMLText.escape(row.shoeName ?? "–"))</td>"
            html += "<td class=\"num\">\(HTMLText.clock(row.runningTimeS))</td>"
            html += "<td class=\"num\">\(row.medians[SessionFacts.cadenceKey].map { HTMLText.fixed($0, 0) } ?? "–")</td>"
            html += "<td class=\"num\">\(row.measuresImpact ? (row.medians[GaitMetric.impactPeakG.rawValue].map { HTMLText.fixed($0, 2) + " g" } ?? "–") : "–")</td>"
            let si = [GaitMetric.stepTimeS, .groundContactTimeS, .impactPeakG].map { m in
                (m == .impactPeakG && !row.measuresImpact ? nil : row.symmetryIndexPct[m.rawValue]).map { HTMLText.signed($0, 1) } ?? "–"
            }
            html += "<td class=\"num\">\(si.joined(separator: " / "))</td><td>"
            if let score = row.painScore { html += "<strong>\(score)</strong>" }
            for p in row.painLog where p.location != nil || p.note != nil {
                html += "<div class=\"muted\">\(HTMLText.escape([p.location, p.note].compactMap { $0 }.joined(separator: ": ")))</div>"
            }
            html += "</td><td>"
            if row.flags.isEmpty { html += "<span class=\"muted\">none</span>" }
            for f in row.flags {
                html += "<div><span class=\"badge \(f.severity.rawValue)\">\(f.severity.rawValue)</span> \(HTMLText.escape(f.title))\(f.seeProfessional ? " <strong>(see a physiotherapist)</strong>" : "")</div>"
            }
            html += "</td></tr>"
        }
        html += "</tbody></table></section>\n"
        return html
    }

    // MARK: - Plots

    static func figure(_ svg: String, caption: String) -> String { SessionReport.figure(svg, caption: caption) }

    /// The shared time axis of the session plots.
    func timeScale(frame: SVGPlot.Frame) -> PlotScale {
        let xs = sessions.map(\.x)
        let low = xs.min() ?? 0, high = xs.max() ?? 1
        let pad = max((high - low) * 0.04, dated ? 1 : 0.5)
        return PlotScale(domainLow: low - pad, domainHigh: high + pad, rangeLow: frame.x, rangeHigh: frame.right)
    }

    var timeLabel: String {
        if dated, let firstDate { return "days since the first session (\(UTCDate.day(firstDate)))" }
        return "session (in order; not all sessions are dated)"
    }

    func timeTickText() -> (Double) -> String {
        guard dated, let firstDate else { return { "#" + HTMLText.fixed($0 + 1, 0) } }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM"
        return { formatter.string(from: firstDate.addingTimeInterval($0 * 86_400)) }
    }

    /// Integer ticks for an undated axis (session positions).
    func timeTicks(_ x: PlotScale) -> [Double]? {
        guard !dated else { return nil }
        let step = max(1, PlotScale.niceStep(span: x.domainHigh - x.domainLow, maximumCount: 8).rounded())
        return Swift.stride(from: (x.domainLow / step).rounded(.up) * step, through: x.domainHigh, by: step).map { $0 }
    }

    /// The pain scores (0–10) as bars on the time axis, in `frame`.
    func painPanel(_ plot: inout SVGPlot, frame: SVGPlot.Frame, x: PlotScale, xLabel: String?) {
        let y = PlotScale(domainLow: 0, domainHigh: 10, rangeLow: frame.bottom, rangeHigh: frame.y)
        plot.axes(frame: frame, x: x, y: y, xLabel: xLabel, yLabel: "pain (0–10)", xTickText: timeTickText(), xTicks: timeTicks(x))
        let halfWidth = (x.domainHigh - x.domainLow) * 3 / frame.width
        for row in sessions {
            guard let score = row.painScore else { continue }
            plot.rect(x0: row.x - halfWidth, x1: row.x + halfWidth, y0: 0, y1: max(Double(score), 0.15), x: x, y: y, className: "bar pain",
                      title: "session \(row.sessionKey): pain \(score)")
        }
        plot.note("pain", x: frame.x + 4, y: frame.y - 4, className: "panel-title")
        if sessions.allSatisfy({ $0.painScore == nil }) { plot.note("no pain scores logged", x: frame.x + 60, y: frame.y - 4) }
    }

    func asymmetryPlot() -> String {
        let panelHeight = 78.0, pitch = 120.0, top = 40.0
        let painTop = top + pitch * Double(asymmetry.count) + 6
        var plot = SVGPlot(id: "plot-asymmetry-trend", title: "Left/right symmetry index per session, with the pain log",
                           description: "For each measure, the symmetry index (%) per session against \(timeLabel); below, pain scores (0–10) on the same axis.",
                           height: painTop + 60 + 48)
        let x = timeScale(frame: SVGPlot.frame(top: top, height: panelHeight))
        plot.legend([("all", "symmetry index", .line), ("flagged", "flagged session", .dot), ("band normal", "normal range", .box)], x: 70, y: 12)
        for (i, series) in asymmetry.enumerated() {
            let frame = SVGPlot.frame(top: top + pitch * Double(i), height: panelHeight)
            let limits = series.threshold.map { [-$0, $0] } ?? []
            let y = PlotScale.fitting(series.points.flatMap { [$0.value] + [$0.low, $0.high].compactMap { $0 } }, include: limits + [0],
                                      padding: 0.1, rangeLow: frame.bottom, rangeHigh: frame.y)
            if let limit = series.threshold { plot.band(low: -limit, high: limit, frame: frame, y: y, className: "normal") }
            plot.axes(frame: frame, x: x, y: y, xLabel: nil, yLabel: "SI (%)", xTickText: timeTickText(), xTicks: timeTicks(x))
            plot.horizontalRule(0, frame: frame, y: y, className: "zero")
            // Each session's 95 % interval as a whisker: a change inside these is not a change.
            for p in series.points { if let low = p.low, let high = p.high { plot.path(xs: [p.x, p.x], ys: [low, high], x: x, y: y, className: "ci") } }
            plot.path(xs: series.points.map(\.x), ys: series.points.map(\.value), x: x, y: y, className: "all")
            let plain = series.points.filter { !$0.flagged }, flagged = series.points.filter(\.flagged)
            plot.dots(xs: plain.map(\.x), ys: plain.map(\.value), x: x, y: y, radius: 2.6, className: "all")
            plot.dots(xs: flagged.map(\.x), ys: flagged.map(\.value), x: x, y: y, radius: 4, className: "flagged")
            plot.note(series.threshold.map { "\(series.words) (Garmin's red zone: |SI| ≥ \(HTMLText.fixed($0, 1)) %)" } ?? "\(series.words) (compared with the runner's own normal only)",
                      x: frame.x + 4, y: frame.y - 4, className: "panel-title")
            if series.points.isEmpty { plot.note("no running sessions with a value", x: frame.x + 10, y: frame.y + 20) }
        }
        painPanel(&plot, frame: SVGPlot.frame(top: painTop + 14, height: 60), x: x, xLabel: timeLabel)
        return plot.finish()
    }

    func flaggedPlot(_ series: MeasureSeries) -> String {
        var plot = SVGPlot(id: "plot-flag-" + String(SessionReport.anchor(series.flagID).dropFirst("flag-".count)), extraClass: "flag-trend",
                           title: "\(series.words) per session (\(series.flagID)), with the pain log",
                           description: "\(series.words) (\(series.unit)) per session against \(timeLabel), flagged sessions marked; pain scores (0–10) below.",
                           height: 376)
        let frame = SVGPlot.frame(top: 40, height: 180)
        let x = timeScale(frame: frame)
        let limits = series.threshold.map { series.thresholdBothWays ? [-$0, $0] : [$0] } ?? []
        let y = PlotScale.fitting(series.points.map(\.value), include: limits, padding: 0.1, rangeLow: frame.bottom, rangeHigh: frame.y)
        plot.axes(frame: frame, x: x, y: y, xLabel: nil, yLabel: "\(series.words) (\(series.unit))", xTickText: timeTickText(), xTicks: timeTicks(x))
        for limit in limits { plot.horizontalRule(limit, frame: frame, y: y, className: "threshold", label: "threshold \(HTMLText.signed(limit, 0))") }
        plot.path(xs: series.points.map(\.x), ys: series.points.map(\.value), x: x, y: y, className: "all")
        let plain = series.points.filter { !$0.flagged }, flagged = series.points.filter(\.flagged)
        plot.dots(xs: plain.map(\.x), ys: plain.map(\.value), x: x, y: y, radius: 2.8, className: "all")
        plot.dots(xs: flagged.map(\.x), ys: flagged.map(\.value), x: x, y: y, radius: 4.2, className: "flagged")
        plot.legend([("all", "session", .dot), ("flagged", "flagged session", .dot)], x: frame.x, y: 12)
        if series.points.isEmpty { plot.note("no values to plot", x: frame.x + 10, y: frame.y + 20) }
        painPanel(&plot, frame: SVGPlot.frame(top: 266, height: 60), x: x, xLabel: timeLabel)
        return plot.finish()
    }

    func shoePlot(_ shoe: ShoeSeries) -> String {
        var plot = SVGPlot(id: "plot-shoe-" + String(SessionReport.anchor(shoe.key).dropFirst("flag-".count)), extraClass: "shoe-trend",
                           title: "Impact per run in \(shoe.name)",
                           description: "Median impact peak (g) of each run in this shoe against the run's number in the shoe, with the first runs' median.",
                           height: 270)
        let frame = SVGPlot.frame(top: 28, height: 192)
        let firstRuns = shoe.firstRunsImpactG ?? RobustStatistics.median(shoe.points.prefix(ShoeWearRule.firstRunCount).map(\.value))
        let rise = firstRuns.map { $0 * (1 + ShoeWearRule.impactRise) }
        let x = PlotScale(domainLow: 0.5, domainHigh: Double(max(shoe.points.count, 1)) + 0.5, rangeLow: frame.x, rangeHigh: frame.right)
        let y = PlotScale.fitting(shoe.points.map(\.value), include: [firstRuns, rise].compactMap { $0 }, padding: 0.1, rangeLow: frame.bottom, rangeHigh: frame.y)
        let step = max(1, PlotScale.niceStep(span: Double(shoe.points.count), maximumCount: 10).rounded())
        plot.axes(frame: frame, x: x, y: y, xLabel: "run in this shoe (number)", yLabel: "impact peak (g)",
                  xTicks: Swift.stride(from: 1, through: Double(max(shoe.points.count, 1)), by: step).map { $0 })
        if let firstRuns {
            plot.horizontalRule(firstRuns, frame: frame, y: y, className: "reference",
                                label: "first runs \(HTMLText.fixed(firstRuns, 2)) g\(shoe.firstRunsImpactG == nil ? " (so far)" : "")")
        }
        if let rise { plot.horizontalRule(rise, frame: frame, y: y, className: "threshold", label: "+\(HTMLText.fixed(ShoeWearRule.impactRise * 100, 0)) %") }
        plot.path(xs: shoe.points.map(\.x), ys: shoe.points.map(\.value), x: x, y: y, className: "all")
        let plain = shoe.points.filter { !$0.flagged }, flagged = shoe.points.filter(\.flagged)
        plot.dots(xs: plain.map(\.x), ys: plain.map(\.value), x: x, y: y, radius: 2.8, className: "all")
        plot.dots(xs: flagged.map(\.x), ys: flagged.map(\.value), x: x, y: y, radius: 4.2, className: "flagged")
        plot.legend([("all", "run", .dot), ("flagged", "shoe wear flagged", .dot)], x: frame.x, y: 12)
        if shoe.points.isEmpty { plot.note("no running sessions with a measurable impact in this shoe", x: frame.x + 10, y: frame.y + 20) }
        return plot.finish()
    }

    func weeklyPlot() -> String {
        var plot = SVGPlot(id: "plot-weekly-running", title: "Running time per week",
                           description: "Minutes of running per week (Monday to Sunday, UTC), with the week's highest pain score.",
                           height: 270)
        let frame = SVGPlot.frame(top: 28, height: 192)
        let weeks = trends.weeks
        guard let firstDate, !weeks.isEmpty else {
            plot.note("No dated sessions: weekly running time needs start dates (gait import --started-at).", x: 70, y: 60)
            return plot.finish()
        }
        let xs = weeks.map { $0.start.timeIntervalSince(firstDate) / 86_400 + 3.5 }
        let x = PlotScale(domainLow: (xs.min() ?? 0) - 4.5, domainHigh: (xs.max() ?? 0) + 4.5, rangeLow: frame.x, rangeHigh: frame.right)
        let y = PlotScale(domainLow: 0, domainHigh: max(weeks.map(\.runningMinutes).max() ?? 1, 1) * 1.18, rangeLow: frame.bottom, rangeHigh: frame.y)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM"
        plot.axes(frame: frame, x: x, y: y, xLabel: "week starting (Monday)", yLabel: "running time (min)",
                  xTickText: { formatter.string(from: firstDate.addingTimeInterval(($0 - 3.5) * 86_400)) }, xTicks: xs.count <= 16 ? xs : nil)
        for (i, week) in weeks.enumerated() {
            plot.rect(x0: xs[i] - 3, x1: xs[i] + 3, y0: 0, y1: week.runningMinutes, x: x, y: y, className: "bar time",
                      title: "week of \(UTCDate.day(week.start)): \(HTMLText.fixed(week.runningMinutes, 0)) min in \(week.sessionCount) run(s)")
            if let pain = week.maximumPain {
                plot.note("pain \(pain)", x: x.position(xs[i]), y: y.position(week.runningMinutes) - 5, anchor: "middle", className: "rule-label onset")
            }
        }
        return plot.finish()
    }
}
