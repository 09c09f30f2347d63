/// When a recording started, as its file states it: a canonical CSV's `# start_utc=`, GENEActiv's
/// `Start Time` with its `Time Zone`, the Unix time of the first row of a MetaWear (`epoch (ms)`)
/// or Sensor Logger (`time`, ns) export. A file that does not say, or says something impossible
/// (before 2000, after 2100, a local time without its zone), has no start: it is never guessed.
enum RecordingStart {
    /// Starts accepted, seconds since 1970 (2000-01-01 to 2100-01-01 UTC).
    static let plausible: ClosedRange<Double> = 946_684_800...4_102_444_800

    /// A canonical CSV's `start_utc`: ISO 8601 with `Z` or an offset ("2026-05-01T07:30:00Z",
    /// "2026-05-01 09:30:00.250+02:00"), or seconds since 1970.
    static func parseUTC(_ text: String) -> Double? {
        let trimmed = text.trimmingASCIIWhitespace()
        if let seconds = Double(trimmed), trimmed.allSatisfy({ $0.isNumber || $0 == "." }) {
            return plausible.contains(seconds) ? seconds : nil
        }
        var body = Substring(trimmed)
        var offsetS = 0.0
        if body.hasSuffix("Z") || body.hasSuffix("z") {
            body = body.dropLast()
        } else if let sign = body.lastIndex(where: { $0 == "+" || $0 == "-" }), body.distance(from: body.startIndex, to: sign) >= 19 {
            guard let offset = zoneOffsetS(body[sign...]) else { return nil }
            offsetS = offset
            body = body[..<sign]
        } else {
            return nil      // a local time without its zone
        }
        guard let local = civilSeconds(body) else { return nil }
        let utc = local - offsetS
        return plausible.contains(utc) ? utc : nil
    }

    /// GENEActiv's `Start Time` ("2019-08-06 10:25:50:000", local) with its `Time Zone` ("GMT -04",
    /// "GMT +05:30").
    static func geneActiv(start: String?, timeZone: String?) -> Double? {
        guard let start, let timeZone else { return nil }
        var zone = Substring(timeZone.trimmingASCIIWhitespace())
        guard zone.hasPrefix("GMT") || zone.hasPrefix("UTC") else { return nil }
        zone = zone.dropFirst(3).drop { $0 == " " }
        let offsetS = zone.isEmpty ? 0 : zoneOffsetS(zone)
        // The milliseconds follow a colon: "10:25:50:000".
        var text = start.trimmingASCIIWhitespace()
        if text.count == 23, let last = text.lastIndex(of: ":"), text.distance(from: text.startIndex, to: last) == 19 {
            text.replaceSubrange(last...last, with: ".")
        }
        guard let offsetS, let local = civilSeconds(Substring(text)) else { return nil }
        let utc = local - offsetS
        return plausible.contains(utc) ? utc : nil
    }

    /// The first data row's Unix time when the file has such a column: MetaWear's `epoch (ms)`,
    /// Sensor Logger's `time` (ns).
    static func firstRow(header: [String], row: [String], dialect: CSVDialect) -> Double? {
        let names = header.map { $0.trimmingASCIIWhitespace().lowercased() }
        let column: (name: String, secondsPerUnit: Double)
        switch dialect {
        case .metaWear: column = ("epoch (ms)", 1e-3)
        case .sensorLogger: column = ("time", 1e-9)
        default: return nil
        }
        guard let index = names.firstIndex(of: column.name), index < row.count,
              let value = Double(row[index].trimmingASCIIWhitespace()), value.isFinite else { return nil }
        let seconds = value * column.secondsPerUnit
        return plausible.contains(seconds) ? seconds : nil
    }

    /// "+02:00", "-04", "+0530" as seconds east of UTC.
    static func zoneOffsetS(_ text: Substring) -> Double? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count == 2 || digits.count == 4,
              let hours = Int(digits.prefix(2)), let minutes = Int(digits.dropFirst(2).isEmpty ? "0" : String(digits.dropFirst(2))),
              hours <= 14, minutes < 60 else { return nil }
        return Double(sign == "-" ? -1 : 1) * Double(hours * 3600 + minutes * 60)
    }

    /// "YYYY-MM-DD hh:mm:ss[.fff]" (or with "T") as seconds since 1970, taken as UTC.
    static func civilSeconds(_ text: Substring) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction = 0.0
        if bytes.count > 19 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 20, bytes.count <= 29, let digits = number(20..<bytes.count) else { return nil }
            fraction = Double(digits) / pow10(bytes.count - 20)
        }
        // Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
    }

    private static func pow10(_ n: Int) -> Double {
        var value = 1.0
        for _ in 0..<n { value *= 10 }
        return value
    }
}
