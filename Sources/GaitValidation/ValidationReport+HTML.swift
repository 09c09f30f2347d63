import GaitReport

/// The report as a self-contained HTML page (inline SVG, no script), in the reports' page style.
extension ValidationReport {
    /// A section per data set: tables, Bland–Altman plots, per-trial plots and notes.
    public func html(title: String = "Backstride validation") -> String {
        var body = "<h1>\(HTMLText.escape(title))</h1>\n"
        body += "<p class=\"subtitle\">Backstride's analysis against reference systems, recording by recording. Regenerate with <code>make accuracy</code>; schema of the JSON: <code>\(Self.schemaIdentifier)</code>.</p>\n"
        if let first = dataSets.first { body += "<p>\(HTMLText.escape(first.methodNote))</p>\n" }
        for set in dataSets {
            body += "<section class=\"data-set\">\n<h2><code>\(HTMLText.escape(set.folder))</code>\(set.title.map { ": " + HTMLText.escape($0) } ?? "")</h2>\n"
            body += "<p>\(HTMLText.escape(set.headline)).</p>\n"
            body += "<h3>Initial contacts and cadence</h3>\n" + set.detectionTable(trials: true).html()
            if let measures = set.measuresTable(trials: true) { body += "<h3>Paired measures (those the reference has)</h3>\n" + measures.html() }
            body += "<h3>Agreement (Bland–Altman, ours − reference)</h3>\n" + set.agreementTable().html()
            let reference = set.referenceTotals
            if reference.contactTimes > 0 {
                body += figure(set.blandAltmanPlot(id: "\(set.plotPrefix)-ba-contact-time", measure: "contact time", unit: "ms", scale: 1000, decimals: 1) { $0.contactTimesS },
                               caption: "Contact time of every contact matched within \(DataSetValidation.toleranceMs(set.settings.pairingToleranceS)) ms with both values; lines: bias and 95 % limits of agreement of all of them.")
            }
            if reference.peakForces > 0 {
                body += figure(set.blandAltmanPlot(id: "\(set.plotPrefix)-ba-peak-force", measure: "peak vertical force", unit: "BW", scale: 1, decimals: 2) { $0.peakForcesBW },
                               caption: "Peak vertical ground reaction force of every matched contact with both values, body weights.")
            }
            body += figure(set.contactErrorPlot(), caption: "Trials: " + set.trialKey + ".")
            if reference.contactTimes > 0 { body += figure(set.contactTimePlot(), caption: "Trials: " + set.trialKey + ".") }
            let notes = set.notes()
            if !notes.isEmpty { body += "<ul class=\"notes\">\n" + notes.map { "<li>\(HTMLText.escape($0))</li>\n" }.joined() + "</ul>\n" }
            body += "</section>\n"
        }
        return ReportPage.document(title: title, body: body, extraStylesheet: Self.stylesheet)
    }

    private func figure(_ svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption>\(HTMLText.escape(caption))</figcaption></figure>\n"
    }

    /// The page's own classes, on top of the reports' stylesheet.
    static let stylesheet = """
    tr.pooled td { font-weight: 600; background: #fafafa; } ul.notes { font-size: .9rem; color: #333; }
    svg.plot .development, svg.plot .ours { fill: #0072B2; } svg.plot .held-out { fill: #D55E00; }
    svg.plot .reference { fill: #222; } svg.plot .mean { fill: none; stroke: #111; stroke-width: 1.5; }
    svg.plot .faint { opacity: .55; } svg.plot .rule.bias { stroke: #111; } svg.plot .rule.limit { stroke: #b2182b; stroke-dasharray: 6 3; }

    """
}
