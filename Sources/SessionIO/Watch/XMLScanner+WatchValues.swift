extension XMLScanner {
    /// The decimal number in `text` (surrounding whitespace allowed), within `range` when given;
    /// otherwise an `invalidWatchValue` error naming `field` and where the text starts.
    func number(
        _ text: String, field: String, offset: Int, range: ClosedRange<Double>? = nil, expected: String = "a number"
    ) throws(SessionIOError) -> Double {
        let trimmed = text.trimmingASCIIWhitespace()
        guard let value = DecimalParser.parse(Array(trimmed.utf8)), value.isFinite, range?.contains(value) ?? true else {
            throw invalidValue(trimmed, field: field, offset: offset, expected: expected)
        }
        return value
    }

    /// The time in `text`, an xsd:dateTime ("2026-05-01T07:30:00Z", "2026-05-01T09:30:00.250+02:00"),
    /// as seconds since 1970 UTC, and whether it gave its zone (without one it is read as UTC, as
    /// GPX 1.1 states its times are).
    func utcTime(_ text: String, field: String, offset: Int) throws(SessionIOError) -> (seconds: Double, hasZone: Bool) {
        let trimmed = text.trimmingASCIIWhitespace()
        var body = Substring(trimmed)
        var zoneOffsetS = 0.0
        var hasZone = true
        if body.hasSuffix("Z") || body.hasSuffix("z") {
            body = body.dropLast()
        } else if let sign = body.lastIndex(where: { $0 == "+" || $0 == "-" }), body.distance(from: body.startIndex, to: sign) >= 19 {
            guard let offsetS = RecordingStart.zoneOffsetS(body[sign...]) else {
                throw invalidValue(trimmed, field: field, offset: offset, expected: "a date and time such as 2026-05-01T07:30:00Z")
            }
            zoneOffsetS = offsetS
            body = body[..<sign]
        } else {
            hasZone = false
        }
        guard let local = RecordingStart.civilSeconds(body) else {
            throw invalidValue(trimmed, field: field, offset: offset, expected: "a date and time such as 2026-05-01T07:30:00Z")
        }
        return (local - zoneOffsetS, hasZone)
    }

    func invalidValue(_ text: String, field: String, offset: Int, expected: String) -> SessionIOError {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return .invalidWatchValue(path: path, line: line(at: offset), offset: offset, field: field, text: shown, expected: expected)
    }
}
