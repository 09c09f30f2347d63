/// Structural checks of generated HTML for the tests: tags balance, plots are found by id.
enum HTMLChecks {
    /// Elements that have no end tag in HTML.
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"]

    /// The first problem with the nesting of `html`'s tags, or nil when every element is closed in order.
    static func nestingProblem(_ html: String) -> String? {
        var stack: [String] = []
        var i = html.startIndex
        while let open = html[i...].firstIndex(of: "<") {
            guard let close = html[open...].firstIndex(of: ">") else { return "unterminated tag at offset \(html.distance(from: html.startIndex, to: open))" }
            let tag = html[html.index(after: open)..<close]
            i = html.index(after: close)
            if tag.hasPrefix("!") { continue }
            let closing = tag.hasPrefix("/")
            let body = closing ? tag.dropFirst() : tag
            let name = String(body.prefix { $0.isLetter || $0.isNumber || $0 == "-" }).lowercased()
            guard !name.isEmpty else { return "a '<' that starts no tag: \(tag.prefix(40))" }
            if closing {
                guard stack.last == name else { return "</\(name)> closes <\(stack.last ?? "nothing")>" }
                stack.removeLast()
            } else if !tag.hasSuffix("/") && !voidElements.contains(name) {
                stack.append(name)
                if name == "style" || name == "script" {
                    // Raw text: skip to its end tag.
                    guard let end = html.range(of: "</\(name)>", range: i..<html.endIndex) else { return "unclosed <\(name)>" }
                    i = end.lowerBound
                }
            }
        }
        return stack.isEmpty ? nil : "unclosed: \(stack)"
    }

    /// The `<svg …>…</svg>` element with this id, or nil.
    static func svg(id: String, in html: String) -> Substring? {
        guard let idRange = html.range(of: "id=\"\(id)\""),
              let start = html[..<idRange.lowerBound].range(of: "<svg", options: .backwards),
              let end = html.range(of: "</svg>", range: idRange.upperBound..<html.endIndex) else { return nil }
        return html[start.lowerBound..<end.upperBound]
    }

    /// How often `needle` occurs in `text`.
    static func count(_ needle: String, in text: some StringProtocol) -> Int {
        var n = 0
        var range = text.startIndex..<text.endIndex
        while let found = text.range(of: needle, range: range) {
            n += 1
            range = found.upperBound..<text.endIndex
        }
        return n
    }

    /// The rows of a CSV text (RFC 4180 quoting), header first.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else {
                            quoted = false
                            if next == "," { row.append(field); field = "" } else if next == "\n" { row.append(field); rows.append(row); row = []; field = "" } else { field.append(next) }
                        }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
