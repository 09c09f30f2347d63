/// Text for HTML and SVG: escaping of everything that is not markup, and fast fixed-point numbers
/// (plots write thousands of coordinates, so `String(format:)` is avoided on that path).
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe in element
    /// content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `value` rounded to `decimals` places (0–6), without exponent; "–" when not finite.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let scale = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000][max(0, min(6, decimals))]
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(Int64(value.rounded())) }
        let integer = Int64(scaled)
        let negative = value < 0 && integer != 0
        let whole = integer / Int64(scale)
        var text = negative ? "-" : ""
        text += String(whole)
        if decimals > 0 {
            let fraction = String(integer % Int64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// A number with about three significant digits for tables (0.254, 2.91, 17.4, 172).
    public static func readable(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 100 { return fixed(value, 0) }
        if magnitude >= 10 { return fixed(value, 1) }
        if magnitude >= 1 { return fixed(value, 2) }
        return fixed(value, 3)
    }

    /// A signed number with `decimals` places ("+4.2", "−1.0" with a true minus sign).
    public static func signed(_ value: Double, _ decimals: Int) -> String {
        let text = fixed(abs(value), decimals)
        if value > 0, text != fixed(0, decimals) { return "+" + text }
        if value < 0, text != fixed(0, decimals) { return "\u{2212}" + text }
        return text
    }

    /// "1:02:03" or "12:34" for a duration in seconds.
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let total = Int(seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}
