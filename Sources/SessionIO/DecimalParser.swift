/// Decimal number parsing for the CSV hot path.
///
/// The fast path reads `[+-]digits[.digits][e[+-]digits]` with at most 19 significant digits into
/// an integer mantissa and a power-of-ten exponent. When the mantissa is at most 2^53 and the
/// exponent within ±22, both are exact doubles, so one multiplication or division gives the
/// correctly rounded result (Clinger, "How to read floating point numbers accurately", PLDI 1990).
/// Everything else falls back to `parseSlow`, which uses the standard library's correctly rounded
/// `Double(String)`; only unusual inputs and errors take that path.
enum DecimalParser {
    /// 10^0 … 10^22, all exactly representable as `Double`. Allocated once, never freed.
    nonisolated(unsafe) static let powersOfTen: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        var power = 1.0
        for exponent in 0...22 {
            table[exponent] = power
            power *= 10
        }
        return UnsafePointer(table)
    }()

    /// 10^0 … 10^-22, each the double nearest to the exact value. Allocated once, never freed.
    nonisolated(unsafe) static let reciprocalPowersOfTen: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        for exponent in 0...22 { table[exponent] = Double("1e-\(exponent)")! }
        return UnsafePointer(table)
    }()

    /// Parses a number starting at `cursor`, stopping at the first byte that cannot continue it.
    ///
    /// On success advances `cursor` past the number and returns `(value, true)`; returns
    /// `(0, false)` without moving `cursor` when the text is not a number or needs the slow path.
    /// The caller guarantees a byte that is not part of a number (a newline) before the buffer
    /// ends, so the scan needs no bounds checks. `decimalAlternative` is a second byte accepted as
    /// the decimal point (`,` for decimal-comma files, otherwise `.` again).
    ///
    /// With `exact` the result is correctly rounded. Without it, negative exponents multiply by a
    /// rounded reciprocal instead of dividing (division dominated the profile): the result is within
    /// about one unit in the last place of the double, far finer than the `Float` it is stored in.
    @inline(__always)
    static func parseFast(
        _ cursor: inout UnsafePointer<UInt8>, decimalAlternative: UInt8, exact: Bool,
        powersOfTen: UnsafePointer<Double>, reciprocalPowersOfTen: UnsafePointer<Double>
    ) -> (Double, Bool) {
        var scan = cursor
        var negative = false
        var byte = scan.pointee
        if byte == UInt8(ascii: "-") {
            negative = true
            scan += 1
        } else if byte == UInt8(ascii: "+") {
            scan += 1
        }
        var mantissa: UInt64 = 0
        let integerStart = scan
        var digit = scan.pointee &- UInt8(ascii: "0")
        while digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            scan += 1
            digit = scan.pointee &- UInt8(ascii: "0")
        }
        var digitCount = scan - integerStart
        var exponent = 0
        byte = scan.pointee
        if byte == UInt8(ascii: ".") || byte == decimalAlternative {
            scan += 1
            let fractionStart = scan
            digit = scan.pointee &- UInt8(ascii: "0")
            while digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                scan += 1
                digit = scan.pointee &- UInt8(ascii: "0")
            }
            let fractionCount = scan - fractionStart
            digitCount += fractionCount
            exponent = -fractionCount
        }
        if digitCount == 0 || digitCount > 19 { return (0, false) }
        byte = scan.pointee
        if byte | 0x20 == UInt8(ascii: "e") {
            scan += 1
            var exponentNegative = false
            byte = scan.pointee
            if byte == UInt8(ascii: "-") {
                exponentNegative = true
                scan += 1
            } else if byte == UInt8(ascii: "+") {
                scan += 1
            }
            let exponentStart = scan
            var written = 0
            digit = scan.pointee &- UInt8(ascii: "0")
            while digit < 10 {
                if written < 100_000 { written = written * 10 + Int(digit) }
                scan += 1
                digit = scan.pointee &- UInt8(ascii: "0")
            }
            if scan == exponentStart { return (0, false) }
            exponent += exponentNegative ? -written : written
        }
        let magnitude: Double
        if mantissa == 0 {
            magnitude = 0
        } else if exponent == 0 {
            magnitude = Double(mantissa)
        } else if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            if exponent > 0 {
                magnitude = Double(mantissa) * powersOfTen[exponent]
            } else if exact {
                magnitude = Double(mantissa) / powersOfTen[-exponent]
            } else {
                magnitude = Double(mantissa) * reciprocalPowersOfTen[-exponent]
            }
        } else {
            return (0, false)
        }
        cursor = scan
        return (negative ? -magnitude : magnitude, true)
    }

    /// Outcome of the slow, general parse.
    enum SlowResult: Equatable {
        case value(Double)
        case notANumber
        case nonFinite
    }

    /// Parses one whole field: surrounding spaces and one pair of double quotes are allowed; with
    /// `decimalComma`, `,` is read as the decimal point. Rejects NaN and infinities.
    static func parseSlow(_ field: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> SlowResult {
        var text = Array(trimmedField(field))
        if text.isEmpty { return .notANumber }
        for index in text.indices {
            switch text[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            case UInt8(ascii: ",") where decimalComma:
                text[index] = UInt8(ascii: ".")
            default:
                let lowered = String(decoding: text, as: UTF8.self).lowercased()
                let unsigned = lowered.hasPrefix("-") || lowered.hasPrefix("+") ? String(lowered.dropFirst()) : lowered
                if ["nan", "inf", "infinity"].contains(unsigned) { return .nonFinite }
                return .notANumber
            }
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { return .notANumber }
        return value.isFinite ? .value(value) : .nonFinite
    }

    /// Parses a whole field held in an array; for tests and non-hot callers. `exact: false` is the
    /// variant used for `Float` sample values.
    static func parse(_ bytes: [UInt8], decimalComma: Bool = false, exact: Bool = true) -> Double? {
        var padded = bytes
        padded.append(UInt8(ascii: "\n"))
        return padded.withUnsafeBufferPointer { buffer -> Double? in
            var cursor = buffer.baseAddress!
            let alternative = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
            let (value, ok) = parseFast(
                &cursor, decimalAlternative: alternative, exact: exact, powersOfTen: powersOfTen,
                reciprocalPowersOfTen: reciprocalPowersOfTen)
            if ok && cursor == buffer.baseAddress! + bytes.count { return value }
            if case .value(let slowValue) = parseSlow(UnsafeBufferPointer(rebasing: buffer.dropLast()), decimalComma: decimalComma) {
                return slowValue
            }
            return nil
        }
    }

    /// Whether `text` could be the start of a number cut short (`""`, `-`, `1.`, `1.2e-`, `0.12`):
    /// how a truncated last line differs from a wrong value.
    static func isNumberPrefix(_ text: some Collection<UInt8>) -> Bool {
        var state = 0  // 0 sign allowed, 1 mantissa, 2 fraction, 3 exponent sign allowed, 4 exponent digits
        for byte in text {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            switch state {
            case 0:
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || isDigit { state = 1 }
                else if byte == UInt8(ascii: ".") { state = 2 }
                else { return false }
            case 1:
                if isDigit { continue }
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") { state = 2 }
                else if byte | 0x20 == UInt8(ascii: "e") { state = 3 }
                else { return false }
            case 2:
                if isDigit { continue }
                if byte | 0x20 == UInt8(ascii: "e") { state = 3 } else { return false }
            case 3:
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || isDigit { state = 4 } else { return false }
            default:
                if !isDigit { return false }
            }
        }
        return true
    }

    /// The field without surrounding ASCII spaces/tabs/CR and one pair of enclosing double quotes.
    static func trimmedField(_ field: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8> {
        var slice = ArraySlice(field)
        func trimSpace() {
            while let first = slice.first, first == 32 || first == 9 || first == 13 { slice.removeFirst() }
            while let last = slice.last, last == 32 || last == 9 || last == 13 { slice.removeLast() }
        }
        trimSpace()
        if slice.count >= 2, slice.first == UInt8(ascii: "\""), slice.last == UInt8(ascii: "\"") {
            slice.removeFirst()
            slice.removeLast()
            trimSpace()
        }
        return slice
    }
}
