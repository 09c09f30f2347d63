import Foundation

/// The page around a report: a self-contained HTML document (inline stylesheet, no script, no
/// fonts or images fetched) laid out for the screen and for A4 paper.
public enum ReportPage {
    /// The red-flag alert at the top of a report.
    static func alertHTML(_ alert: String) -> String {
        "<div class=\"alert\" role=\"alert\">\(HTMLText.escape(alert))</div>\n"
    }

    /// The whole document with `title` in the head and `body` as its content (already HTML);
    /// `extraStylesheet` is appended to the shared stylesheet (a page's own classes).
    public static func document(title: String, body: String, extraStylesheet: String = "") -> String {
        var html = ""
        html.reserveCapacity(body.utf8.count + 8_192)
        html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta name=\"generator\" content=\"Backstride gait report\">\n"
        html += "<title>\(HTMLText.escape(title))</title>\n<style>\n\(stylesheet)\(extraStylesheet)</style>\n</head>\n<body>\n"
        html += body
        html += "\n</body>\n</html>\n"
        return html
    }

    /// Screen and print styles. Sections after the first start on a new page when printed; plots,
    /// tables and flags are never split across pages; plots scale to the column.
    static let stylesheet = """
    :root { --left: #0072B2; --right: #D55E00; --high: #b2182b; --moderate: #c05a00; --low: #555; --ink: #1a1a1a; --muted: #666; }
    body { font-family: "Helvetica Neue", Arial, sans-serif; color: var(--ink); max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; }
    h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
    h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
    .subtitle { color: var(--muted); margin: 0 0 1rem; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.2rem; margin: 0; }
    dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
    table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
    th, td { border-bottom: 1px solid #e2e2e2; padding: .25rem .4rem; text-align: left; vertical-align: top; }
    th { background: #f4f4f4; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    .left-side { color: var(--left); font-weight: 600; } .right-side { color: var(--right); font-weight: 600; }
    tr.beyond td { background: #fff3e6; }
    .badge { display: inline-block; border-radius: .25rem; padding: 0 .4rem; font-size: .8rem; font-weight: 700; color: #fff; text-transform: uppercase; }
    .badge.high { background: var(--high); } .badge.moderate { background: var(--moderate); } .badge.low { background: var(--low); }
    .alert { background: #a3151b; color: #fff; padding: .8rem 1rem; border-radius: .3rem; margin: 1rem 0; font-weight: 700; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    .kind { font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: #4a5a68; border: 1px solid #c5cdd4; border-radius: .25rem; padding: 0 .3rem; } .kind.warning { color: #7a1f14; border-color: #d9a39a; } .citations { font-size: .85rem; }
    .flag { border: 1px solid #ddd; border-left: 6px solid var(--low); border-radius: .3rem; padding: .6rem .8rem; margin: .8rem 0; }
    .flag.high { border-left-color: var(--high); } .flag.moderate { border-left-color: var(--moderate); }
    .flag .meta { color: var(--muted); font-size: .85rem; margin: .1rem 0 .4rem; }
    .flag table { font-size: .85rem; } .flag tr.context td { color: var(--muted); }
    .see-professional { background: #fdecea; border: 1px solid var(--high); border-radius: .3rem; padding: .3rem .6rem; font-weight: 600; }
    .muted { color: var(--muted); } .none { color: var(--muted); font-style: italic; }
    .uncertain { border-left: 4px solid #b7791f; padding-left: .6em; }
    figure { margin: 1rem 0 1.5rem; } figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
    ul.checklist { list-style: none; padding-left: 0; } ul.checklist li::before { content: "\\2610\\00a0\\00a0"; }
    svg.plot { display: block; width: 100%; height: auto; font-family: inherit; }
    svg.plot .frame { fill: none; stroke: #444; stroke-width: 1; }
    svg.plot .grid { stroke: #e6e6e6; stroke-width: 1; } svg.plot .tick-mark { stroke: #444; }
    svg.plot .tick { font-size: 11px; fill: #333; } svg.plot .axis-label { font-size: 12px; fill: #111; }
    svg.plot .legend-label { font-size: 11.5px; fill: #222; } svg.plot .note { font-size: 12px; fill: var(--muted); }
    svg.plot .panel-title { font-size: 12px; font-weight: 700; fill: #222; }
    svg.plot .series { fill: none; stroke-width: 2; stroke-linejoin: round; }
    svg.plot .series.left { stroke: var(--left); } svg.plot .series.right { stroke: var(--right); stroke-dasharray: 7 3; }
    svg.plot .series.all { stroke: #222; } svg.plot .series.ci { stroke: #8a96a3; stroke-width: 1.2; } svg.plot .series.second { stroke: #7a3e9d; stroke-dasharray: 2 2; }
    svg.plot .series.third { stroke: #009E73; stroke-dasharray: 9 3 2 3; } svg.plot .series.fourth { stroke: #CC79A7; stroke-dasharray: 4 4; }
    svg.plot .series.fifth { stroke: #56B4E9; stroke-dasharray: 1 3; }
    svg.plot .dots.left, svg.plot circle.left { fill: var(--left); } svg.plot .dots.right, svg.plot circle.right { fill: var(--right); }
    svg.plot .dots.faint { opacity: .28; } svg.plot .dots.all { fill: #222; } svg.plot .dots.flagged { fill: var(--high); }
    svg.plot rect.bar.left, svg.plot rect.left { fill: var(--left); } svg.plot rect.bar.right, svg.plot rect.right { fill: var(--right); }
    svg.plot rect.bar.time { fill: #6a8fb3; } svg.plot rect.bar.pain, svg.plot rect.pain { fill: var(--high); opacity: .7; }
    svg.plot .band.normal { fill: #e7f3e7; } svg.plot .band.walking { fill: #efefef; } svg.plot circle.faint-dot { fill: #bbb; }
    svg.plot circle.all { fill: #222; } svg.plot circle.flagged { fill: var(--high); } svg.plot .rule { stroke-width: 1.5; }
    svg.plot .rule.onset { stroke: var(--high); stroke-dasharray: 5 3; } svg.plot .rule-label.onset { fill: var(--high); font-size: 11px; }
    svg.plot .rule.threshold, svg.plot .rule.reference { stroke: #777; stroke-dasharray: 3 3; } svg.plot .rule-label { font-size: 11px; fill: #555; }
    svg.plot .rule.left { stroke: var(--left); } svg.plot .rule.right { stroke: var(--right); stroke-dasharray: 6 3; }
    svg.plot .rule.zero { stroke: #999; } svg.plot .series.reference { stroke: #777; stroke-dasharray: 3 3; stroke-width: 1.5; }
    footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); border-top: 1px solid #ddd; padding-top: .5rem; }
    @page { size: A4; margin: 14mm 12mm; }
    @media print {
      body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
      section.page { break-before: page; page-break-before: always; }
      figure, table, .flag, dl.facts, svg.plot { break-inside: avoid; page-break-inside: avoid; }
      h2, h3 { break-after: avoid; page-break-after: avoid; }
      .badge, .see-professional, tr.beyond td, svg.plot * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    }

    """

    /// A date as "2026-05-02 07:12 (Europe/Berlin)" in the recording's zone, or UTC.
    static func localTime(_ date: Date, timeZone: String?) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let zone = timeZone.flatMap { TimeZone(identifier: $0) } ?? TimeZone(identifier: "UTC")!
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm"
        return formatter.string(from: date) + " (" + zone.identifier + ")"
    }
}
