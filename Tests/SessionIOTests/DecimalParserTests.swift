import Testing
@testable import SessionIO

@Suite("DecimalParser")
struct DecimalParserTests {
    @Test("the fast parser agrees with Double(String) on thousands of random decimal strings")
    func agreesWithStandardLibraryOnRandomValues() {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for index in 0..<5000 {
            let text: String
            switch index % 5 {
            case 0: // CSV-like fixed point, e.g. -0.98765
                let decimals = Int.random(in: 0...7, using: &generator)
                let value = Double.random(in: -20...20, using: &generator)
                text = fixed(value, decimals: decimals)
            case 1: // times like 1234.567891
                text = fixed(Double.random(in: 0...100_000, using: &generator), decimals: 6)
            case 2: // phyphox-like scientific notation
                let mantissa = Double.random(in: -9.999...9.999, using: &generator)
                text = fixed(mantissa, decimals: 9) + "E" + String(Int.random(in: -12...12, using: &generator))
            case 3: // long mantissas and big exponents take the slow path
                let digits = (0..<Int.random(in: 15...24, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }
                text = "0." + digits.joined() + "e" + String(Int.random(in: -40...40, using: &generator))
            default: // integers, Unix nanoseconds
                text = String(Int64.random(in: -1_800_000_000_000_000_000...1_800_000_000_000_000_000, using: &generator))
            }
            let expected = Double(text)!
            let parsed = DecimalParser.parse(Array(text.utf8))
            if parsed != expected { mismatches.append("\(text): \(String(describing: parsed)) != \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test("the Float sample path (reciprocal multiply) stays within one Float ulp of the correctly rounded value")
    func floatPathWithinOneUlp() {
        var generator = SystemRandomNumberGenerator()
        var worst: Float = 0
        for index in 0..<5000 {
            let decimals = 1 + index % 9
            let text = fixed(Double.random(in: -2000...2000, using: &generator), decimals: decimals)
            let expected = Float(Double(text)!)
            guard let parsed = DecimalParser.parse(Array(text.utf8), exact: false) else {
                Issue.record("\(text) not parsed")
                continue
            }
            let error = abs(Float(parsed) - expected)
            if expected != 0 { worst = max(worst, error / expected.ulp.magnitude) }
        }
        #expect(worst <= 1)
    }

    @Test("accepts the forms CSV writers use", arguments: [
        ("0", 0.0), ("-0.5", -0.5), ("+1.25", 1.25), (".5", 0.5), ("5.", 5.0), ("1e-3", 0.001), ("1E+03", 1000.0),
        ("9.806650000E0", 9.80665), ("-1.234567890123456789", -1.234567890123456789), ("1e400", -1),
    ])
    func acceptsCommonForms(text: String, expected: Double) {
        if expected == -1 {
            #expect(DecimalParser.parse(Array(text.utf8)) == nil)  // out of range: not finite
        } else {
            #expect(DecimalParser.parse(Array(text.utf8)) == expected)
        }
    }

    @Test("rejects text that is not a number", arguments: ["", "-", ".", "abc", "1.2.3", "1e", "1e+", "nan", "inf", "0x10", "1,5", "--1"])
    func rejectsNonNumbers(text: String) {
        #expect(DecimalParser.parse(Array(text.utf8)) == nil)
    }

    @Test("reads a decimal comma only when asked")
    func decimalCommaOnlyWhenAsked() {
        #expect(DecimalParser.parse(Array("9,80665".utf8), decimalComma: true) == 9.80665)
        #expect(DecimalParser.parse(Array("-5,000000000E-01".utf8), decimalComma: true) == -0.5)
        #expect(DecimalParser.parse(Array("9,80665".utf8), decimalComma: false) == nil)
    }

    @Test("tells a number cut short from a wrong value")
    func numberPrefixes() {
        for text in ["", "-", "1.", "1.2e", "1.2e-", "0.12", "+"] { #expect(DecimalParser.isNumberPrefix(Array(text.utf8)), "\(text)") }
        for text in ["abc", "1.2.3", "1e5e", "1-", "nan"] { #expect(!DecimalParser.isNumberPrefix(Array(text.utf8)), "\(text)") }
    }

    private func fixed(_ value: Double, decimals: Int) -> String {
        // Formats without Foundation's String(format:), via integer arithmetic on a rounded value.
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let integerPart = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        let sign = value < 0 ? "-" : ""
        return decimals == 0 ? "\(sign)\(integerPart)" : "\(sign)\(integerPart).\(fraction)"
    }
}
