/// Builds a CSV table (RFC 4180: comma-separated, CRLF-free "\n" lines, fields quoted when they
/// hold a comma, quote or line break). Numbers are written in their shortest exact form, so a
/// reader gets back the very `Float` or `Double` the report holds.
struct ReportCSV {
    private(set) var text: String
    private let columnCount: Int

    /// Starts a table with its header.
    init(header: [String]) {
        columnCount = header.count
        text = ""
        text.reserveCapacity(64 * 1024)
        text += header.map(Self.field).joined(separator: ",") + "\n"
    }

    /// Appends a row; missing trailing cells are left empty.
    mutating func row(_ cells: [String]) {
        precondition(cells.count <= columnCount, "a CSV row has more cells than the header")
        text += (cells + Array(repeating: "", count: columnCount - cells.count)).map(Self.field).joined(separator: ",") + "\n"
    }

    /// A field, quoted when it needs to be, and neutralised when a spreadsheet would read it as a
    /// formula.
    static func field(_ value: String) -> String {
        let value = neutralised(value)
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text a spreadsheet would take for a formula (first character `=`, `+`, `-`, `@`, tab or
    /// carriage return, as in "=HYPERLINK(…)" in a shoe's name) behind a `'`, which makes it plain
    /// text (OWASP, "CSV Injection"). Numbers such as "-1.5" are left as they are: they are values.
    static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        if Double(value) != nil, value.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }) { return value }
        return "'" + value
    }

    /// A number's shortest exact text, empty when absent or not finite.
    static func number(_ value: Float?) -> String {
        guard let value, value.isFinite else { return "" }
        return "\(value)"
    }

    /// A number's shortest exact text, empty when absent or not finite.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return "\(value)"
    }
}
