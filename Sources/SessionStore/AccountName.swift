import Foundation

/// How account names are compared: normalised (Unicode NFKC, case-folded) so that "Pia", "ＰＩＡ"
/// and "pia" are one name, and reduced to a skeleton so that look-alikes ("pіa" with a Cyrillic
/// і) are recognised as the same name.
///
/// The skeleton map is deliberately small: the Cyrillic and Greek letters (after case folding)
/// that look like Latin ones. Digits are not folded ("pi0" and "pio" stay two names). It is not
/// Unicode's full confusables table (UTS #39).
public enum AccountName {
    /// The normalised username of a new account, after the checks every store makes: 1–64
    /// letters, digits, '.', '_', '-' or '@', and a runner only for a runner account.
    static func checkedName(of account: AccountRecord) throws(SessionStoreError) -> String {
        let name = normalised(account.username)
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw .invalidValue(field: "username", reason: "1–64 letters, digits, '.', '_', '-' or '@', got '\(account.username)'")
        }
        if account.role == .runner && account.runnerId == nil {
            throw .invalidValue(field: "runner", reason: "a runner account belongs to a runner")
        }
        if account.role != .runner && account.runnerId != nil {
            throw .invalidValue(field: "runner", reason: "only a runner account belongs to a runner")
        }
        return name
    }

    /// The name as it is stored and looked up: NFKC, case-folded, surrounding white space removed.
    public static func normalised(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .precomposedStringWithCompatibilityMapping
    }

    /// The normalised name with each Cyrillic or Greek look-alike replaced by its Latin letter:
    /// two names with the same skeleton would be mistaken for each other.
    public static func skeleton(_ name: String) -> String {
        String(String.UnicodeScalarView(normalised(name).unicodeScalars.map { lookAlikes[$0] ?? $0 }))
    }

    /// Cyrillic and Greek lower-case letters (after folding) that look like Latin ones.
    static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            // Cyrillic
            ("а", "a"), ("в", "b"), ("с", "c"), ("ԁ", "d"), ("е", "e"), ("ё", "e"), ("һ", "h"), ("і", "i"), ("ї", "i"),
            ("ј", "j"), ("к", "k"), ("ӏ", "l"), ("м", "m"), ("н", "h"), ("о", "o"), ("р", "p"), ("ԛ", "q"), ("г", "r"),
            ("ѕ", "s"), ("т", "t"), ("ц", "u"), ("υ", "u"), ("ѵ", "v"), ("ԝ", "w"), ("х", "x"), ("у", "y"), ("ү", "y"),
            ("ʐ", "z"), ("п", "n"),
            // Greek
            ("α", "a"), ("β", "b"), ("ϲ", "c"), ("ε", "e"), ("η", "n"), ("ι", "i"), ("κ", "k"), ("ν", "v"), ("ο", "o"),
            ("ρ", "p"), ("τ", "t"), ("χ", "x"), ("γ", "y"), ("ζ", "z"), ("μ", "u"), ("ω", "w"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs { table[from.unicodeScalars.first!] = to.unicodeScalars.first! }
        return table
    }()
}
