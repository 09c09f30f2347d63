import GaitReport

/// A table of text cells rendered three ways: aligned plain text (the terminal), Markdown (the
/// README) and HTML (the page), so the three show the same figures.
struct TextTable: Sendable {
    /// Column headings.
    var header: [String]
    /// Whether each column holds numbers (right-aligned).
    var numeric: [Bool]
    /// The rows, each as many cells as `header`.
    var rows: [[String]] = []
    /// Rows before which a rule is drawn (where the pooled rows start).
    var rulesBefore: Set<Int> = []

    /// The table without the columns in which every row is empty.
    func droppingEmptyColumns() -> TextTable {
        let keep = header.indices.filter { column in rows.contains { !$0[column].isEmpty } }
        return TextTable(header: keep.map { header[$0] }, numeric: keep.map { numeric[$0] },
                         rows: rows.map { row in keep.map { row[$0] } }, rulesBefore: rulesBefore)
    }

    /// Aligned columns two spaces apart, a dashed rule under the header and before `rulesBefore`.
    func plainText() -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - cells[i].count)
                return numeric[i] ? pad + cells[i] : cells[i] + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var lines = [line(header), rule]
        for (index, row) in rows.enumerated() {
            if rulesBefore.contains(index) { lines.append(rule) }
            lines.append(line(row))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table (`|` in cells escaped).
    func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var lines = [line(header), "|" + numeric.map { $0 ? "--:|" : "---|" }.joined()]
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// An HTML table; pooled rows (after the first rule) are set in bold.
    func html() -> String {
        var html = "<table>\n<thead><tr>"
        for (i, cell) in header.enumerated() { html += "<th\(numeric[i] ? " class=\"num\"" : "")>\(HTMLText.escape(cell))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        let firstPooled = rulesBefore.min() ?? rows.count
        for (index, row) in rows.enumerated() {
            html += index >= firstPooled ? "<tr class=\"pooled\">" : "<tr>"
            for (i, cell) in row.enumerated() { html += "<td\(numeric[i] ? " class=\"num\"" : "")>\(HTMLText.escape(cell))</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}
