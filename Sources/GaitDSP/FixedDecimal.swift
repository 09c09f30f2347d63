import Foundation

/// Numbers with a fixed count of decimals, byte for byte as `String(format: "%.<digits>f")` writes
/// them (correctly rounded, ties to even, "-0.00" for a negative number that rounds to zero), for
/// the per-step CSV: `String(format:)` goes through Foundation's variadic formatter and took a
/// quarter of `gait analyze --format csv` on a one-hour run (`perf`). `StepRowsTests` compares
/// the two over 40,000 values at each count of decimals.
public enum FixedDecimal {
    /// Powers of ten up to the most decimals written.
    public static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` with `digits` decimals (0–6).
    public static func text(_ value: Double, digits: Int) -> String {
        var out: [UInt8] = []
        append(value, digits: digits, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` with `digits` decimals (0–6).
    public static func append(_ value: Double, digits: Int, to out: inout [UInt8]) {
        precondition(digits >= 0 && digits < powersOfTen.count, "digits \(digits) out of 0–6")
        // Beyond 1e12 (never a step's value) the scaled integer would not fit: the formatter writes it.
        guard value.isFinite, value.magnitude < 1e12 else {
            out.append(contentsOf: String(format: "%.\(digits)f", value).utf8)
            return
        }
        // value = ±significand · 2^exponent exactly; scaled by 10^digits, then divided by
        // 2^-exponent with the remainder deciding the rounding.
        let exponentBits = Int(value.exponentBitPattern)
        let significand = UInt128(exponentBits == 0 ? value.significandBitPattern : value.significandBitPattern | (1 << 52))
        let shift = exponentBits == 0 ? 1074 : 1075 - exponentBits  // > 0 below 2^52
        let scaled = significand * UInt128(powersOfTen[digits])
        var units: UInt64 = 0
        if shift < 127 {
            var quotient = scaled >> shift
            let remainder = scaled & ((1 << shift) - 1), half = UInt128(1) << (shift - 1)
            if remainder > half || (remainder == half && quotient & 1 == 1) { quotient += 1 }
            units = UInt64(quotient)
        }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        let scale = powersOfTen[digits]
        appendInteger(units / scale, to: &out)
        guard digits > 0 else { return }
        out.append(UInt8(ascii: "."))
        var fraction = units % scale
        let start = out.count
        for _ in 0..<digits {
            out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
            fraction /= 10
        }
        out[start...].reverse()
    }

    /// Appends the decimal digits of `value`.
    static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        let start = out.count
        var rest = value
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        out[start...].reverse()
    }
}
