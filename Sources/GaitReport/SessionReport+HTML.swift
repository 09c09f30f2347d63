import Foundation
import GaitDSP
import GaitInference

/// The session report as a self-contained HTML page.
extension SessionReport {
    /// The report as one HTML document: inline CSS and SVG, no script, nothing fetched; every
    /// text from the data (runner and shoe names, notes) is escaped. Printable to A4: each
    /// section after the summary starts a page, and plots, tables and flags are not split.
    public func html() -> String {
        var body = ""
        body.reserveCapacity(256 * 1024)
        body += headerHTML()
        if let alert { body += ReportPage.alertHTML(alert) }
        body += summaryHTML()
        body += flagsHTML()
        body += leftRightHTML()
        body += plotsHTML()
        body += painAndChecklistHTML()
        body += footerHTML()
        return ReportPage.document(title: pageTitle, body: body)
    }

    /// "Session report — Ana — 2026-05-02".
    var pageTitle: String {
        var parts = ["Session report"]
        if let runnerName { parts.append(runnerName) }
        if let startedAt { parts.append(UTCDate.day(startedAt)) } else if let sessionID { parts.append("session \(sessionID)") }
        return parts.joined(separator: " — ")
    }

    // MARK: - Sections

    func headerHTML() -> String {
        var subtitle: [String] = []
        if let runnerName { subtitle.append("Runner: <strong>\(HTMLText.escape(runnerName))</strong>") }
        if let startedAt { subtitle.append(HTMLText.escape(ReportPage.localTime(startedAt, timeZone: timeZone))) }
        if let sessionID { subtitle.append("session \(sessionID)") }
        if let shoeName { subtitle.append("shoes: \(HTMLText.escape(shoeName))") }
        return "<header><h1>Running session report</h1><p class=\"subtitle\">\(subtitle.isEmpty ? HTMLText.escape(source) : subtitle.joined(separator: " · "))</p></header>\n"
    }

    func summaryHTML() -> String {
        var facts: [(String, String)] = []
        facts.append(("Date", startedAt.map { HTMLText.escape(ReportPage.localTime($0, timeZone: timeZone)) } ?? "<span class=\"none\">not recorded</span>"))
        facts.append(("Duration", HTMLText.clock(durationS)))
        facts.append(("Running time", HTMLText.clock(runningTimeS) + (walkingTimeS > 0 ? " <span class=\"muted\">(walking \(HTMLText.clock(walkingTimeS)))</span>" : "")))
        facts.append(("Cadence", cadenceSpm.map { HTMLText.fixed(Double($0), 0) + " steps/min (median)" } ?? "–"))
        facts.append(("Steps", "\(stepCount)" + (primaryActivity.map { " \($0.rawValue)" } ?? "")
            + (confidentSideShare.map { " <span class=\"muted\">(side known for \(HTMLText.fixed(Double($0) * 100, 0)) %)</span>" } ?? "")))
        facts.append(("Posture measured against", Self.postureWords(postureReference)))
        facts.append(("Flags compared with", HTMLText.escape(comparisonWords)))
        if let autocorrelationSymmetry {
            facts.append(("Side-free symmetry", HTMLText.fixed(Double(autocorrelationSymmetry), 2) + " <span class=\"muted\">(step/stride autocorrelation d1/d2, 1 = symmetric; Moe-Nilssen &amp; Helbostad 2004)</span>"))
        }
        if let shoeName { facts.append(("Shoes", HTMLText.escape(shoeName))) }
        facts.append(("Recording", HTMLText.escape(source) + (device.map { " · " + HTMLText.escape($0) } ?? "")
            + " · \(HTMLText.fixed(sampleRateHz, 0)) Hz · " + (hasGyroscope ? "with gyroscope" : "no gyroscope (no pelvic rotation or drop)")))
        var html = "<section id=\"summary\"><h2>Summary</h2><dl class=\"facts\">"
        for (term, value) in facts { html += "<dt>\(HTMLText.escape(term))</dt><dd>\(value)</dd>" }
        html += "</dl>"
        for note in uncertainties ?? [] { html += "<p class=\"uncertain\"><strong>Uncertain:</strong> \(HTMLText.escape(note))</p>" }
        for note in inference.notes { html += "<p class=\"muted\">Note: \(HTMLText.escape(note))</p>" }
        if flags.isEmpty {
            html += "<p>No flags were raised for this run.</p>"
        } else {
            html += "<p><strong>\(flags.count) flag\(flags.count == 1 ? "" : "s")</strong>:</p><ul class=\"flag-list\">"
            for flag in flags {
                html += "<li><span class=\"badge \(flag.severity.rawValue)\">\(flag.severity.rawValue)</span> <span class=\"kind \(flag.kind.rawValue)\">\(flag.kind.rawValue)</span> <a href=\"#\(Self.anchor(flag.id))\">\(HTMLText.escape(flag.title))</a> <span class=\"muted\">(evidence: \(flag.evidenceGrade.rawValue))</span>"
                if flag.seeProfessional { html += " — <strong>see a physiotherapist</strong>" }
                html += "</li>"
            }
            html += "</ul>"
        }
        html += "</section>\n"
        return html
    }

    func flagsHTML() -> String {
        var html = "<section id=\"flags\" class=\"page\"><h2>Flags</h2>"
        if flags.isEmpty {
            html += "<p class=\"none\">No flags: every measure stayed within its normal range (\(HTMLText.escape(comparisonWords))).</p>"
        }
        for flag in flags { html += Self.flagHTML(flag) }
        html += "</section>\n"
        return html
    }

    static func flagHTML(_ flag: GaitFlag) -> String {
        var html = "<article class=\"flag \(flag.severity.rawValue)\" id=\"\(anchor(flag.id))\">"
        html += "<h3><span class=\"badge \(flag.severity.rawValue)\">\(flag.severity.rawValue)</span> <span class=\"kind \(flag.kind.rawValue)\">\(flag.kind.rawValue)</span> \(HTMLText.escape(flag.title))</h3>"
        var meta = ["\(HTMLText.escape(flag.id))", "evidence for back pain: <strong>\(flag.evidenceGrade.rawValue)</strong>",
                    "confidence \(HTMLText.fixed(flag.confidence * 100, 0)) %"]
        if let side = flag.side { meta.append("side: <span class=\"\(side == "left" ? "left-side" : "right-side")\">\(HTMLText.escape(side))</span>") }
        if let onset = flag.onsetS { meta.append("onset at \(HTMLText.clock(onset)) of the recording") }
        html += "<p class=\"meta\">\(meta.joined(separator: " · "))</p>"
        html += "<p>\(HTMLText.escape(flag.explanation))</p>"
        html += "<p class=\"muted\">Compared with: \(HTMLText.escape(flag.reference.description))"
        if let n = flag.reference.sessionCount { html += " (\(n) session\(n == 1 ? "" : "s"))" }
        html += "</p>"
        if !flag.citations.isEmpty {
            html += "<p class=\"muted citations\">Evidence (\(flag.evidenceGrade.rawValue)): \(flag.citations.map(HTMLText.escape).joined(separator: "; "))</p>"
        }
        if !flag.evidence.isEmpty {
            html += "<table class=\"evidence\"><thead><tr><th>Measure</th><th class=\"num\">Value</th><th class=\"num\">Reference</th><th class=\"num\">Threshold</th><th>Unit</th><th>Crossed</th></tr></thead><tbody>"
            for e in flag.evidence {
                let context = e.comparison == "info"
                html += "<tr class=\"\(context ? "context" : (e.crossed ? "crossed" : "not-crossed"))\"><td>\(HTMLText.escape(measureWords(e.measure)))</td>"
                html += "<td class=\"num\">\(HTMLText.readable(e.value))</td>"
                html += "<td class=\"num\">\(e.reference.map(HTMLText.readable) ?? "–")</td>"
                html += "<td class=\"num\">\(e.threshold.map { HTMLText.escape(comparisonSymbol(e.comparison)) + (e.comparison == "beyond" ? "" : " ") + HTMLText.readable($0) } ?? "–")</td>"
                html += "<td>\(HTMLText.escape(e.unit))</td><td>\(context ? "context" : (e.crossed ? "yes" : "no"))</td></tr>"
            }
            html += "</tbody></table>"
        }
        if !flag.advice.isEmpty {
            html += "<p><strong>Advice</strong></p><ul class=\"advice\">"
            for a in flag.advice { html += "<li>\(HTMLText.escape(a))</li>" }
            html += "</ul>"
        }
        if flag.seeProfessional {
            html += "<p class=\"see-professional\">See a physiotherapist or doctor about this: the pattern is marked or has persisted over several runs.</p>"
        }
        html += "</article>"
        return html
    }

    func leftRightHTML() -> String {
        var html = "<section id=\"left-right\" class=\"page\"><h2>Left and right</h2>"
        guard !leftRight.isEmpty else {
            return html + "<p class=\"none\">No left/right comparison: no gait steps with a known side.</p></section>\n"
        }
        html += "<p class=\"muted\">Medians per side over the \(primaryActivity?.rawValue ?? "gait") steps. Symmetry index SI = (L − R) / mean × 100 % (Robinson et al. 1987; + means the left value is larger); symmetry angle after Zifchock et al. 2008. "
        html += "Under each SI, its 95 % interval from the step-to-step spread: a difference between sessions inside it is not a change. "
        html += "The normal range is the population line on |SI| asymmetry is shown against (Garmin's poorest contact-time balance zone, timing only)"
        html += inference.baselineTrusted ? "; this runner's flags compare with their own usual asymmetry instead (\(inference.baselineSessionCount) runs)." : " until the runner has \(RunnerBaseline.minimumSessions) runs for a personal baseline."
        html += "</p>"
        html += "<table class=\"left-right\" id=\"table-left-right\"><thead><tr><th>Measure</th><th class=\"num\">Left</th><th class=\"num\">Right</th><th class=\"num\">Symmetry index</th><th class=\"num\">Symmetry angle |SA|</th><th>Normal range</th><th>Worse side</th></tr></thead><tbody>"
        for row in leftRight {
            let (scale, unit) = Self.display(row.metric)
            func value(_ v: Float?) -> String { v.map { HTMLText.readable(Double($0) * scale) + " " + unit } ?? "–" }
            html += "<tr class=\"\(row.beyondThreshold ? "beyond" : "within")\" data-metric=\"\(row.metric.rawValue)\">"
            html += "<td>\(HTMLText.escape(row.words))\(row.reliable ? "" : " <span class=\"muted\">(not reliable at \(HTMLText.fixed(sampleRateHz, 0)) Hz)</span>")</td>"
            html += "<td class=\"num\">\(value(row.leftMedian))</td><td class=\"num\">\(value(row.rightMedian))</td>"
            html += "<td class=\"num\">\(row.symmetryIndexPct.map { HTMLText.signed(Double($0), 1) + " %" } ?? "–")"
            if let ci = row.symmetryIndexCI95Pct, ci.count == 2 {
                html += "<br><span class=\"muted ci\">95 %: \(HTMLText.signed(Double(ci[0]), 1)) to \(HTMLText.signed(Double(ci[1]), 1))</span>"
            }
            html += "</td>"
            html += "<td class=\"num\">\(row.symmetryAnglePct.map { HTMLText.fixed(Double(abs($0)), 1) + " %" } ?? "–")</td>"
            html += "<td>\(row.thresholdPct.map { "|SI| &lt; " + HTMLText.fixed($0, 0) + " %" } ?? "<span class=\"muted\">no published threshold</span>")"
            if row.beyondThreshold { html += " <strong>beyond</strong>" }
            if row.flagged { html += " <a href=\"#\(Self.anchor("asymmetry." + row.metric.rawValue))\">flagged</a>" }
            html += "</td><td class=\"worse-side\">"
            if let side = row.worseSide {
                html += "<span class=\"\(side == .left ? "left-side" : "right-side")\">\(side.rawValue)</span>"
            } else {
                html += "<span class=\"muted\">neither</span>"
            }
            html += "</td></tr>"
        }
        html += "</tbody></table>"
        html += "<p class=\"muted\">Worse side: the side with the larger value (for step time, the longer step), named only when the sides differ by at least 2 % and beyond step-to-step variation; the symmetry angle is shown as a magnitude (the CSV and JSON keep its sign). Pelvic rotation and drop are ranges over the stride that starts with that foot's contact.</p>"
        html += "</section>\n"
        return html
    }

    func plotsHTML() -> String {
        var html = "<section id=\"plots\" class=\"page\"><h2>The run in pictures</h2>"
        html += impactSidesPlot()
        html += cadenceImpactPlot()
        html += stepTimeHistogramPlot()
        html += posturePlot()
        html += symmetryOverRunPlot()
        html += "</section>\n"
        return html
    }

    func painAndChecklistHTML() -> String {
        var html = "<section id=\"pain-and-questions\" class=\"page\"><h2>Pain log</h2>"
        if painLog.isEmpty {
            html += "<p class=\"none\">Nothing logged for this session (<code>gait pain</code> adds entries).</p>"
        } else {
            html += "<table class=\"pain\"><thead><tr><th class=\"num\">Pain (0–10)</th><th>Where</th><th>When in the run</th><th>Note</th><th>Logged</th></tr></thead><tbody>"
            for p in painLog {
                html += "<tr><td class=\"num\">\(p.score.map(String.init) ?? "–")</td><td>\(HTMLText.escape(p.location ?? "–"))</td>"
                html += "<td>\(p.atS.map { HTMLText.clock($0) } ?? "–")</td><td>\(HTMLText.escape(p.note ?? ""))</td>"
                html += "<td>\(HTMLText.escape(ReportPage.localTime(p.recordedAt, timeZone: timeZone)))</td></tr>"
            }
            html += "</tbody></table>"
        }
        html += "<h2 id=\"not-measured\">What the clip cannot see: ask about</h2><ul class=\"checklist\">"
        for item in notMeasured { html += "<li>\(HTMLText.escape(item))</li>" }
        html += "</ul></section>\n"
        return html
    }

    func footerHTML() -> String {
        "<footer>Backstride gait report (\(Self.schemaIdentifier)). Measured at the sacrum by a hip-worn IMU; flags never diagnose. "
            + "Cadence after Heiderscheit et al. 2011; symmetry index Robinson et al. 1987; symmetry angle Zifchock et al. 2008. "
            + "Per-minute values are medians of the steps in each minute; plots show at most \(Self.maximumPlottedSteps) individual steps.</footer>"
    }

    // MARK: - Plots

    /// The time axis of the run plots, minutes.
    func timeScale(frame: SVGPlot.Frame) -> PlotScale {
        PlotScale(domainLow: 0, domainHigh: max(durationS / 60, 1), rangeLow: frame.x, rangeHigh: frame.right)
    }

    /// Shades the stretches of the run that were mostly walking (warm-up, cool-down), so a change
    /// of gait is not read as a change of form; returns whether there were any.
    @discardableResult
    func shadeWalking(_ plot: inout SVGPlot, frame: SVGPlot.Frame, x: PlotScale) -> Bool {
        var start: Double?, end = 0.0, any = false
        for bin in bins {
            if bin.runningShare < 0.5 {
                if start == nil || bin.startS > end + binS / 2 {
                    if let s = start { plot.columnBand(from: s / 60, to: end / 60, frame: frame, x: x, className: "walking") }
                    start = bin.startS
                }
                end = bin.startS + binS
                any = true
            }
        }
        if let s = start { plot.columnBand(from: s / 60, to: end / 60, frame: frame, x: x, className: "walking") }
        return any
    }

    static func figure(_ svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption>\(caption)</figcaption></figure>"
    }

    func impactSidesPlot() -> String {
        var plot = SVGPlot(id: "plot-impact-sides", title: "Impact per step, left and right, over the run",
                           description: "Vertical impact peak (g) of individual steps and per-minute medians for each side against time from the start (min).",
                           height: 300)
        let frame = SVGPlot.frame(top: 28, height: 222)
        let x = timeScale(frame: frame)
        let left = plottedSteps.filter { $0.side == .left }, right = plottedSteps.filter { $0.side == .right }
        let medians = bins.flatMap { [$0.leftImpactPeakG, $0.rightImpactPeakG] }.compactMap { $0 }
        let y = PlotScale.fitting(plottedSteps.map { Double($0.impactPeakG) } + medians, rangeLow: frame.bottom, rangeHigh: frame.y)
        let walked = shadeWalking(&plot, frame: frame, x: x)
        plot.axes(frame: frame, x: x, y: y, xLabel: "time from start (min)", yLabel: "impact peak (g)")
        plot.dots(xs: left.map { $0.tS / 60 }, ys: left.map { Double($0.impactPeakG) }, x: x, y: y, radius: 1.6, className: "left faint")
        plot.dots(xs: right.map { $0.tS / 60 }, ys: right.map { Double($0.impactPeakG) }, x: x, y: y, radius: 1.6, className: "right faint", square: true)
        let gap = binS * 1.5 / 60
        plot.path(xs: bins.map { $0.midS / 60 }, ys: bins.map(\.leftImpactPeakG), x: x, y: y, className: "left", breakOverX: gap)
        plot.path(xs: bins.map { $0.midS / 60 }, ys: bins.map(\.rightImpactPeakG), x: x, y: y, className: "right", breakOverX: gap)
        plot.legend([("left", "left median", .line), ("right", "right median", .line),
                     ("left", "left step", .dot), ("right", "right step", .dot)] + (walked ? [("band walking", "walking", .box)] : []), x: frame.x, y: 12)
        if plottedSteps.isEmpty { plot.note("No steps with a known side.", x: frame.x + 10, y: frame.y + 20) }
        var caption = "Each dot is one step"
        let total = leftRight.first { $0.metric == .stepTimeS }?.count ?? stepCount
        if plottedSteps.count < total { caption += " (\(plottedSteps.count) of \(total) shown, evenly spread)" }
        caption += "; lines are the medians of each side per \(binWords)."
        if let row = leftRight.first(where: { $0.metric == .impactPeakG }), let l = row.leftMedian, let r = row.rightMedian {
            caption += " Whole run: left \(HTMLText.fixed(Double(l), 2)) g, right \(HTMLText.fixed(Double(r), 2)) g"
            if let si = row.symmetryIndexPct { caption += ", SI \(HTMLText.signed(Double(si), 1)) % (normal within ±\(HTMLText.fixed(row.thresholdPct ?? 10, 0)) %)" }
            caption += "."
        }
        return Self.figure(plot.finish(), caption: HTMLText.escape(caption))
    }

    func cadenceImpactPlot() -> String {
        var plot = SVGPlot(id: "plot-cadence-impact", title: "Cadence and impact over the run",
                           description: "Per-minute median cadence (steps/min) and impact peak (g) against time from the start (min), with the start of any late-run change marked.",
                           height: 440)
        let top = SVGPlot.frame(top: 34, height: 150), bottom = SVGPlot.frame(top: 240, height: 150)
        let x = timeScale(frame: top)
        let xs = bins.map { $0.midS / 60 }
        let cadence = bins.map(\.cadenceSpm), impact = bins.map(\.impactPeakG)
        let yCadence = PlotScale.fitting(cadence.compactMap { $0 }, rangeLow: top.bottom, rangeHigh: top.y)
        let yImpact = PlotScale.fitting(impact.compactMap { $0 }, rangeLow: bottom.bottom, rangeHigh: bottom.y)
        let walked = shadeWalking(&plot, frame: top, x: x)
        shadeWalking(&plot, frame: bottom, x: x)
        plot.axes(frame: top, x: x, y: yCadence, xLabel: nil, yLabel: "cadence (steps/min)")
        plot.axes(frame: bottom, x: x, y: yImpact, xLabel: "time from start (min)", yLabel: "impact peak (g)")
        if walked { plot.legend([("band walking", "walking", .box)], x: top.right - 90, y: 12) }
        let gap = binS * 1.5 / 60
        plot.path(xs: xs, ys: cadence, x: x, y: yCadence, className: "all", breakOverX: gap)
        plot.dots(xs: xs, ys: cadence.map { $0 ?? .nan }, x: x, y: yCadence, radius: 2.2, className: "all")
        plot.path(xs: xs, ys: impact, x: x, y: yImpact, className: "all", breakOverX: gap)
        plot.dots(xs: xs, ys: impact.map { $0 ?? .nan }, x: x, y: yImpact, radius: 2.2, className: "all")
        let onsets = flags.filter { $0.onsetS != nil }
        for flag in onsets {
            let minutes = flag.onsetS! / 60
            let label = "\(Self.kindWords(flag.topic)) from \(HTMLText.fixed(minutes, 0)) min"
            plot.verticalRule(minutes, frame: top, x: x, className: "onset", label: label)
            plot.verticalRule(minutes, frame: bottom, x: x, className: "onset")
        }
        plot.note("cadence", x: top.x + 4, y: top.y - 6, className: "panel-title")
        plot.note("impact", x: bottom.x + 4, y: bottom.y - 6, className: "panel-title")
        if bins.isEmpty { plot.note("Too few steps per \(binWords) to follow the run.", x: top.x + 10, y: top.y + 20) }
        var caption = "Medians per \(binWords) of all gait steps (warm-up and cool-down walking included)."
        if onsets.isEmpty {
            caption += " No late-run change was found."
        } else {
            caption += " Dashed red lines mark where a change begins: "
                + onsets.map { "\($0.title) (from \(HTMLText.clock($0.onsetS!)))" }.joined(separator: "; ") + "."
        }
        return Self.figure(plot.finish(), caption: HTMLText.escape(caption))
    }

    func stepTimeHistogramPlot() -> String {
        let h = stepTimeHistogram
        var plot = SVGPlot(id: "plot-step-time-histogram", title: "Step time per side",
                           description: "Histogram of step times (ms) of left and right steps; number of steps per bin.",
                           height: 290)
        let frame = SVGPlot.frame(top: 28, height: 212)
        let low = h.lowerS * 1000, high = (h.lowerS + h.binWidthS * Double(h.leftCounts.count)) * 1000
        let x = PlotScale(domainLow: low, domainHigh: h.isEmpty ? low + 100 : high, rangeLow: frame.x, rangeHigh: frame.right)
        let maxCount = max(h.leftCounts.max() ?? 0, h.rightCounts.max() ?? 0)
        let y = PlotScale(domainLow: 0, domainHigh: Double(max(maxCount, 1)) * 1.08, rangeLow: frame.bottom, rangeHigh: frame.y)
        plot.axes(frame: frame, x: x, y: y, xLabel: "step time (ms)", yLabel: "steps")
        let width = h.binWidthS * 1000
        for i in h.leftCounts.indices {
            let x0 = low + Double(i) * width
            if h.leftCounts[i] > 0 {
                plot.rect(x0: x0 + width * 0.05, x1: x0 + width * 0.5, y0: 0, y1: Double(h.leftCounts[i]), x: x, y: y, className: "bar left")
            }
            if h.rightCounts[i] > 0 {
                plot.rect(x0: x0 + width * 0.5, x1: x0 + width * 0.95, y0: 0, y1: Double(h.rightCounts[i]), x: x, y: y, className: "bar right")
            }
        }
        if let l = h.leftMedianS { plot.verticalRule(l * 1000, frame: frame, x: x, className: "left") }
        if let r = h.rightMedianS { plot.verticalRule(r * 1000, frame: frame, x: x, className: "right") }
        plot.legend([("left", "left steps", .box), ("right", "right steps", .box)], x: frame.x, y: 12)
        if h.isEmpty { plot.note("No steps with a known side.", x: frame.x + 10, y: frame.y + 20) }
        var caption = "Step time is named by the foot that lands at its start. "
        if let l = h.leftMedianS, let r = h.rightMedianS {
            caption += "Medians (vertical lines): left \(HTMLText.fixed(l * 1000, 0)) ms, right \(HTMLText.fixed(r * 1000, 0)) ms."
        }
        if h.outsideCount > 0 { caption += " \(h.outsideCount) steps outside the 1st–99th percentile range are not drawn." }
        return Self.figure(plot.finish(), caption: HTMLText.escape(caption))
    }

    func posturePlot() -> String {
        var plot = SVGPlot(id: "plot-posture", title: "Pelvis tilt over the run",
                           description: "Forward tilt of the pelvis (deg) per step and per-minute median against time from the start (min).",
                           height: 280)
        let frame = SVGPlot.frame(top: 28, height: 202)
        let x = timeScale(frame: frame)
        let tilt = bins.map(\.pelvisTiltDeg)
        let dots = plottedSteps.map { Double($0.pelvisTiltDeg) }
        let earlyBins = bins.filter { $0.runningShare >= 0.8 }.prefix(3).compactMap(\.pelvisTiltDeg)
        let early = RobustStatistics.median(earlyBins)
        let y = PlotScale.fitting(dots + tilt.compactMap { $0 }, include: early.map { [$0] } ?? [], rangeLow: frame.bottom, rangeHigh: frame.y)
        let walked = shadeWalking(&plot, frame: frame, x: x)
        plot.axes(frame: frame, x: x, y: y, xLabel: "time from start (min)", yLabel: "forward pelvis tilt (deg)")
        plot.dots(xs: plottedSteps.map { $0.tS / 60 }, ys: dots, x: x, y: y, radius: 1.4, className: "all faint")
        plot.path(xs: bins.map { $0.midS / 60 }, ys: tilt, x: x, y: y, className: "all", breakOverX: binS * 1.5 / 60)
        if let early { plot.horizontalRule(early, frame: frame, y: y, className: "reference") }
        // Onsets of a change in the tilt itself (a late-run change in cadence alone is not marked here).
        for flag in flags where flag.topic == .posture || (flag.topic == .lateRunDegradation && flag.evidence.contains { $0.measure.hasPrefix("pelvis_tilt_deg") && $0.crossed }) {
            if let onset = flag.onsetS { plot.verticalRule(onset / 60, frame: frame, x: x, className: "onset", label: "tilt change from \(HTMLText.fixed(onset / 60, 0)) min") }
        }
        plot.legend([("all", "median per \(binWords)", .line), ("all faint-dot", "step", .dot)]
                        + (early.map { [("reference", "early run \(HTMLText.fixed($0, 1))°", .line)] } ?? [])
                        + (walked ? [("band walking", "walking", .box)] : []), x: frame.x, y: 12)
        if bins.isEmpty && plottedSteps.isEmpty { plot.note("No gait steps.", x: frame.x + 10, y: frame.y + 20) }
        let caption = "Tilt is measured against " + Self.postureWords(postureReference, html: false)
            + ". Its growth late in a run matters more than its absolute value."
        return Self.figure(plot.finish(), caption: HTMLText.escape(caption))
    }

    func symmetryOverRunPlot() -> String {
        var plot = SVGPlot(id: "plot-symmetry-over-run", title: "Left/right symmetry over the run",
                           description: "Symmetry index (%) of step time and impact per minute against time from the start (min); + means the left value is larger.",
                           height: 280)
        let frame = SVGPlot.frame(top: 28, height: 202)
        let x = timeScale(frame: frame)
        let stepSI = bins.map(\.stepTimeSymmetryIndexPct), impactSI = bins.map(\.impactSymmetryIndexPct)
        let stepLimit = GaitMetric.stepTimeS.populationAsymmetryThresholdPct ?? 4
        let impactLimit = GaitMetric.impactPeakG.populationAsymmetryThresholdPct ?? 10
        let y = PlotScale.fitting((stepSI + impactSI).compactMap { $0 }, include: [-stepLimit, stepLimit, 0], rangeLow: frame.bottom, rangeHigh: frame.y)
        let walked = shadeWalking(&plot, frame: frame, x: x)
        plot.band(low: -stepLimit, high: stepLimit, frame: frame, y: y, className: "normal")
        plot.axes(frame: frame, x: x, y: y, xLabel: "time from start (min)", yLabel: "symmetry index (%)")
        plot.horizontalRule(0, frame: frame, y: y, className: "zero")
        plot.horizontalRule(impactLimit, frame: frame, y: y, className: "threshold", label: "impact +\(HTMLText.fixed(impactLimit, 0)) %")
        plot.horizontalRule(-impactLimit, frame: frame, y: y, className: "threshold", label: "impact −\(HTMLText.fixed(impactLimit, 0)) %")
        let gap = binS * 1.5 / 60
        plot.path(xs: bins.map { $0.midS / 60 }, ys: stepSI, x: x, y: y, className: "all", breakOverX: gap)
        plot.path(xs: bins.map { $0.midS / 60 }, ys: impactSI, x: x, y: y, className: "second", breakOverX: gap)
        plot.legend([("all", "step time SI", .line), ("second", "impact SI", .line), ("band normal", "step time normal ±\(HTMLText.fixed(stepLimit, 0)) %", .box)]
                        + (walked ? [("band walking", "walking", .box)] : []),
                    x: frame.x, y: 12)
        if stepSI.allSatisfy({ $0 == nil }) && impactSI.allSatisfy({ $0 == nil }) {
            plot.note("Sides not known for enough steps per \(binWords).", x: frame.x + 10, y: frame.y + 20)
        }
        let caption = "Symmetry index per \(binWords) from each side's median (at least 5 steps a side); + means the left value is larger. A change within the run points to fatigue on one side."
        return Self.figure(plot.finish(), caption: HTMLText.escape(caption))
    }

    // MARK: - Words

    var binWords: String { binS == 60 ? "minute" : "\(HTMLText.fixed(binS, 0)) s" }

    var comparisonWords: String {
        if inference.baselineTrusted { return "the runner's own baseline of \(inference.baselineSessionCount) runs" }
        if inference.historySessionCount > 0 {
            return "population thresholds (a personal baseline needs \(RunnerBaseline.minimumSessions) runs; \(inference.baselineSessionCount) so far)"
        }
        return "population thresholds and this run alone (no history)"
    }

    static func postureWords(_ reference: String?, html: Bool = true) -> String {
        switch reference {
        case "standing": "a standing calibration before the run (the absolute tilt is meaningful)"
        case "early_gait": "the first minute of gait, as no standing calibration was recorded (only changes within the run are meaningful)"
        case let other?: html ? HTMLText.escape(other) : other
        case nil: "nothing (no gait)"
        }
    }

    static func kindWords(_ kind: FlagKind) -> String {
        switch kind {
        case .lateRunDegradation: "late-run change"
        case .posture: "tilt growth"
        case .noWarmUp: "no warm-up"
        case .highImpact: "high impact"
        case .shoeWear: "shoe wear"
        case .painLink: "pain link"
        default: kind.rawValue
        }
    }

    /// The scale and unit a metric is shown in (times in ms).
    static func display(_ metric: GaitMetric) -> (scale: Double, unit: String) {
        switch metric {
        case .stepTimeS, .groundContactTimeS: (1000, "ms")
        default: (1, LeftRightRow.unit(metric))
        }
    }

    /// "impact_peak_g.symmetry_index_pct" as "impact · symmetry index".
    static func measureWords(_ measure: String) -> String {
        measure.split(separator: ".").map { part -> String in
            if let metric = GaitMetric(rawValue: String(part)) { return LeftRightRow.words(metric) }
            switch part {
            case "symmetry_index_pct": return "symmetry index"
            case "abs_symmetry_index_pct": return "|symmetry index|"
            case "left_median": return "left median"
            case "right_median": return "right median"
            case "cadence_spm": return "cadence"
            case "onset_s": return "onset"
            default: return part.replacingOccurrences(of: "_", with: " ")
            }
        }.joined(separator: " · ")
    }

    static func comparisonSymbol(_ comparison: String) -> String {
        switch comparison {
        case "above": "≥"
        case "below": "≤"
        case "beyond": "beyond ±"
        default: ""
        }
    }

    /// An HTML id for a flag: "flag-" and its id with anything but letters, digits, '-', '_' and '.' replaced.
    static func anchor(_ id: String) -> String {
        "flag-" + String(id.lowercased().unicodeScalars.map { scalar -> Character in
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "_" || scalar == "."
            return ok ? Character(scalar) : "-"
        })
    }
}
