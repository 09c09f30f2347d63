/// A small pull scanner for the XML of GPX and TCX files: start tags with their attributes, end
/// tags and text, with the line and byte offset of anything malformed.
///
/// It checks well-formedness as XML 1.0 (W3C, Fifth Edition, 2008) defines it for documents
/// without a DTD: UTF-8 without control characters; one root element; start and end tags that
/// match; attributes quoted with `"` or `'`, unique within an element, without `<`; the five
/// predefined entities and character references (`&#233;`, `&#xE9;`) only; comments without `--`;
/// CDATA sections inside the root; an XML declaration only at the very start. Namespace prefixes
/// are kept out of names: events carry local names (`gpxtpx:hr` is `hr`), which is how the readers
/// match elements of any prefix. A DOCTYPE is refused: watch files have none, and its entities
/// could expand without bound. Nesting deeper than `maximumDepth` or more than
/// `maximumAttributes` attributes on one element is refused too (design choice: a hundred times
/// what GPX or TCX need), so nothing grows beyond what the file's size bounds.
struct XMLScanner {
    /// One piece of the document.
    enum Event: Equatable {
        /// A start tag (or an empty-element tag, which is followed by its `end`).
        case start(name: String, attributes: [Attribute], offset: Int)
        /// An end tag.
        case end(name: String, offset: Int)
        /// Character data inside the root with entities replaced, or a CDATA section's content;
        /// text that is only whitespace is not reported.
        case text(String, offset: Int)
    }

    /// An attribute of a start tag: local name, value with entities replaced, and where it starts.
    struct Attribute: Equatable {
        var name: String
        var value: String
        var offset: Int
    }

    static let maximumDepth = 256
    static let maximumAttributes = 256

    let bytes: [UInt8]
    let path: String
    private var position: Int
    private let documentStart: Int
    /// Open elements: the byte range of each qualified name and the offset of its start tag.
    private var open: [(name: Range<Int>, offset: Int)] = []
    private var pendingEnd: (name: String, offset: Int)?
    private var rootSeen = false

    private static let lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">"), ampersand = UInt8(ascii: "&")

    /// Checks the encoding (UTF-8, as declared if declared) and the characters of `bytes`.
    init(bytes: [UInt8], path: String) throws(SessionIOError) {
        self.bytes = bytes
        self.path = path
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        documentStart = start
        position = start
        try checkDeclaredEncoding()
        try checkCharacters()
    }

    /// The error for `reason` at byte `offset`, with its line.
    func failure(_ reason: String, at offset: Int) -> SessionIOError {
        .malformedXML(path: path, line: line(at: offset), offset: offset, reason: reason)
    }

    /// The 1-based line of byte `offset` (counted when needed: errors are rare, lines are not).
    func line(at offset: Int) -> Int {
        var line = 1
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") { line += 1 }
        return line
    }

    /// The next event, or nil after the root element's end (and nothing but comments, processing
    /// instructions and whitespace after it).
    mutating func next() throws(SessionIOError) -> Event? {
        if let pending = pendingEnd {
            pendingEnd = nil
            return .end(name: pending.name, offset: pending.offset)
        }
        while true {
            guard position < bytes.count else {
                if let innermost = open.last {
                    throw failure("the file ends before </\(text(innermost.name))> (opened on line \(line(at: innermost.offset)))", at: bytes.count)
                }
                guard rootSeen else { throw failure("the file has no root element", at: bytes.count) }
                return nil
            }
            if bytes[position] != Self.lessThan {
                let start = position
                while position < bytes.count && bytes[position] != Self.lessThan { position += 1 }
                let firstNonSpace = (start..<position).first { !Self.isSpace(bytes[$0]) }
                guard let firstNonSpace else { continue }
                guard !open.isEmpty else {
                    throw failure(rootSeen ? "text after the end of the root element" : "text before the root element", at: firstNonSpace)
                }
                return .text(try characterData(start..<position), offset: start)
            }
            guard position + 1 < bytes.count else { throw failure("the file ends after '<'", at: position) }
            switch bytes[position + 1] {
            case UInt8(ascii: "?"):
                try skipProcessingInstruction()
            case UInt8(ascii: "!"):
                if hasPrefix("<!--") {
                    try skipComment()
                } else if hasPrefix("<![CDATA[") {
                    if let text = try readCDATA() { return text }
                } else if hasPrefix("<!DOCTYPE") {
                    throw failure("a DOCTYPE declaration is not accepted (watch files have none, and its entities could expand without bound)", at: position)
                } else {
                    throw failure("expected a comment '<!--' or a CDATA section '<![CDATA[' after '<!'", at: position)
                }
            case UInt8(ascii: "/"):
                return try readEndTag()
            default:
                return try readStartTag()
            }
        }
    }

    // MARK: Markup

    private mutating func readStartTag() throws(SessionIOError) -> Event {
        let tagOffset = position
        guard !(rootSeen && open.isEmpty) else {
            throw failure("a second root element (an XML document has exactly one)", at: tagOffset)
        }
        position += 1
        let name = try readName(expected: "an element name after '<'")
        var attributes: [Attribute] = []
        var attributeNames: [Range<Int>] = []
        while true {
            let hadSpace = skipSpaces()
            guard position < bytes.count else {
                throw failure("the file ends inside the start tag <\(text(name))>", at: bytes.count)
            }
            switch bytes[position] {
            case Self.greaterThan:
                position += 1
                guard open.count < Self.maximumDepth else {
                    throw failure("elements nested more than \(Self.maximumDepth) deep", at: tagOffset)
                }
                open.append((name, tagOffset))
                rootSeen = true
                return .start(name: localName(name), attributes: attributes, offset: tagOffset)
            case UInt8(ascii: "/"):
                guard position + 1 < bytes.count, bytes[position + 1] == Self.greaterThan else {
                    throw failure("expected '>' after '/' in the empty-element tag <\(text(name))/>", at: position + 1)
                }
                position += 2
                rootSeen = true
                pendingEnd = (localName(name), tagOffset)
                return .start(name: localName(name), attributes: attributes, offset: tagOffset)
            default:
                break
            }
            guard hadSpace else {
                throw failure("expected whitespace, '>' or '/>' in the start tag <\(text(name))>", at: position)
            }
            let attributeOffset = position
            let attributeName = try readName(expected: "an attribute name, '>' or '/>' in the start tag <\(text(name))>")
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                throw failure("expected '=' after the attribute name '\(text(attributeName))'", at: position)
            }
            position += 1
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw failure("expected a quoted value (\"…\" or '…') for the attribute '\(text(attributeName))'", at: position)
            }
            let quote = bytes[position]
            let valueStart = position + 1
            var valueEnd = valueStart
            while valueEnd < bytes.count && bytes[valueEnd] != quote {
                if bytes[valueEnd] == Self.lessThan {
                    throw failure("'<' inside the value of the attribute '\(text(attributeName))'", at: valueEnd)
                }
                valueEnd += 1
            }
            guard valueEnd < bytes.count else {
                throw failure("the file ends inside the value of the attribute '\(text(attributeName))'", at: bytes.count)
            }
            if attributeNames.contains(where: { bytes[$0].elementsEqual(bytes[attributeName]) }) {
                throw failure("the attribute '\(text(attributeName))' appears twice in <\(text(name))>", at: attributeOffset)
            }
            guard attributes.count < Self.maximumAttributes else {
                throw failure("more than \(Self.maximumAttributes) attributes in <\(text(name))>", at: attributeOffset)
            }
            attributes.append(Attribute(name: localName(attributeName), value: try characterData(valueStart..<valueEnd),
                                        offset: attributeOffset))
            attributeNames.append(attributeName)
            position = valueEnd + 1
        }
    }

    private mutating func readEndTag() throws(SessionIOError) -> Event {
        let tagOffset = position
        position += 2
        let name = try readName(expected: "an element name after '</'")
        skipSpaces()
        guard position < bytes.count, bytes[position] == Self.greaterThan else {
            throw failure("expected '>' to end the end tag </\(text(name))>", at: position)
        }
        position += 1
        guard let innermost = open.last else {
            throw failure("the end tag </\(text(name))> has no start tag", at: tagOffset)
        }
        guard bytes[innermost.name].elementsEqual(bytes[name]) else {
            throw failure("expected </\(text(innermost.name))> to close the element opened on line \(line(at: innermost.offset)), "
                          + "found </\(text(name))>", at: tagOffset)
        }
        open.removeLast()
        return .end(name: localName(name), offset: tagOffset)
    }

    /// Skips `<?target …?>`; the XML declaration `<?xml …?>` only at the start of the document.
    private mutating func skipProcessingInstruction() throws(SessionIOError) {
        let start = position
        position += 2
        let target = try readName(expected: "a processing-instruction target after '<?'")
        if text(target).lowercased() == "xml" && start != documentStart {
            throw failure("an XML declaration '<?xml …?>' is allowed only at the very start of the file", at: start)
        }
        guard let end = find([UInt8(ascii: "?"), Self.greaterThan], from: position) else {
            throw failure("the file ends inside the processing instruction opened here", at: start)
        }
        position = end + 2
    }

    private mutating func skipComment() throws(SessionIOError) {
        let start = position
        guard let dashes = find([UInt8(ascii: "-"), UInt8(ascii: "-")], from: position + 4) else {
            throw failure("the file ends inside the comment opened here", at: start)
        }
        guard dashes + 2 < bytes.count else { throw failure("the file ends inside the comment opened here", at: start) }
        guard bytes[dashes + 2] == Self.greaterThan else {
            throw failure("'--' inside a comment (it may only end one, as '-->')", at: dashes)
        }
        position = dashes + 3
    }

    /// A CDATA section's content as text, or nil when it is empty.
    private mutating func readCDATA() throws(SessionIOError) -> Event? {
        let start = position
        guard !open.isEmpty else { throw failure("a CDATA section outside the root element", at: start) }
        guard let end = find([UInt8(ascii: "]"), UInt8(ascii: "]"), Self.greaterThan], from: position + 9) else {
            throw failure("the file ends inside the CDATA section opened here", at: start)
        }
        position = end + 3
        guard end > start + 9 else { return nil }
        return .text(String(decoding: bytes[(start + 9)..<end], as: UTF8.self), offset: start)
    }

    // MARK: Names and character data

    /// Reads a name (`Name` of XML 1.0, with at most one ':' between a prefix and a local name).
    private mutating func readName(expected: String) throws(SessionIOError) -> Range<Int> {
        let start = position
        guard position < bytes.count, Self.isNameStart(bytes[position]) else {
            throw failure("expected " + expected, at: position)
        }
        var colons = bytes[position] == UInt8(ascii: ":") ? 1 : 0
        position += 1
        while position < bytes.count && Self.isNameCharacter(bytes[position]) {
            if bytes[position] == UInt8(ascii: ":") { colons += 1 }
            position += 1
        }
        let range = start..<position
        if colons > 1 || bytes[start] == UInt8(ascii: ":") || bytes[position - 1] == UInt8(ascii: ":") {
            throw failure("expected a name with at most one ':' between a prefix and a local name, found '\(text(range))'", at: start)
        }
        return range
    }

    /// The name without its namespace prefix.
    private func localName(_ name: Range<Int>) -> String {
        let local = name.lastIndex { bytes[$0] == UInt8(ascii: ":") }.map { ($0 + 1)..<name.upperBound } ?? name
        return text(local)
    }

    /// The bytes as text for a message (at most 60 characters).
    private func text(_ range: Range<Int>) -> String {
        let shown = String(decoding: bytes[range], as: UTF8.self)
        return shown.count > 60 ? String(shown.prefix(60)) + "…" : shown
    }

    /// Character data with entity and character references replaced; refuses a bare '&', an
    /// undefined entity, a reference to a character XML does not allow, and ']]>'.
    private func characterData(_ range: Range<Int>) throws(SessionIOError) -> String {
        var index = range.lowerBound
        while index < range.upperBound && bytes[index] != Self.ampersand && bytes[index] != UInt8(ascii: "]") { index += 1 }
        if index == range.upperBound { return String(decoding: bytes[range], as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        decoded.append(contentsOf: bytes[range.lowerBound..<index])
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "]") && index + 2 < range.upperBound && bytes[index + 1] == UInt8(ascii: "]")
                && bytes[index + 2] == Self.greaterThan {
                throw failure("']]>' in text (write it as ']]&gt;')", at: index)
            }
            guard byte == Self.ampersand else {
                decoded.append(byte)
                index += 1
                continue
            }
            var end = index + 1
            while end < range.upperBound && end - index <= 12 && bytes[end] != UInt8(ascii: ";") { end += 1 }
            guard end < range.upperBound && bytes[end] == UInt8(ascii: ";") else {
                throw failure("expected an entity reference such as '&amp;' or '&#38;' (a bare '&' must be written '&amp;')", at: index)
            }
            let name = bytes[(index + 1)..<end]
            switch String(decoding: name, as: UTF8.self) {
            case "lt": decoded.append(Self.lessThan)
            case "gt": decoded.append(Self.greaterThan)
            case "amp": decoded.append(Self.ampersand)
            case "quot": decoded.append(UInt8(ascii: "\""))
            case "apos": decoded.append(UInt8(ascii: "'"))
            default:
                guard name.first == UInt8(ascii: "#"), let scalar = characterReference(name.dropFirst()) else {
                    throw failure("'&\(text((index + 1)..<end));' is not one of XML's entities (&lt; &gt; &amp; &quot; &apos;) "
                                  + "or a reference to a character XML allows", at: index)
                }
                decoded.append(contentsOf: String(Character(scalar)).utf8)
            }
            index = end + 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// `233` or `xE9` as the character XML 1.0 allows (Char production), or nil.
    private func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var body = digits
        var radix: UInt32 = 10
        if body.first == UInt8(ascii: "x") {
            radix = 16
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.count <= 8 else { return nil }
        var value: UInt32 = 0
        for byte in body {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt32(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: digit = UInt32(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
            value = value * radix + digit
        }
        let allowed = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x1_0000...0x10_FFFF).contains(value)
        return allowed ? Unicode.Scalar(value) : nil
    }

    // MARK: Bytes

    /// Skips XML whitespace; returns whether there was any.
    @discardableResult
    private mutating func skipSpaces() -> Bool {
        let start = position
        while position < bytes.count && Self.isSpace(bytes[position]) { position += 1 }
        return position > start
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let pointer = prefix.utf8Start
        for index in 0..<count where bytes[position + index] != pointer[index] { return false }
        return true
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == first {
                var matches = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return index }
            }
            index += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    /// Refuses an `encoding` other than UTF-8 (or its subset US-ASCII) in the XML declaration.
    private func checkDeclaredEncoding() throws(SessionIOError) {
        let declaration = Array("<?xml".utf8)
        guard bytes.count - documentStart > declaration.count,
              bytes[documentStart..<(documentStart + declaration.count)].elementsEqual(declaration),
              let end = find([UInt8(ascii: "?"), Self.greaterThan], from: documentStart),
              let key = find(Array("encoding".utf8), from: documentStart), key < end else { return }
        var index = key + 8
        while index < end && (Self.isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "=")) { index += 1 }
        guard index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return }
        let quote = bytes[index]
        var valueEnd = index + 1
        while valueEnd < end && bytes[valueEnd] != quote { valueEnd += 1 }
        let encoding = String(decoding: bytes[(index + 1)..<valueEnd], as: UTF8.self).lowercased()
        guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding) else {
            throw failure("the file declares encoding '\(text((index + 1)..<valueEnd))'; only UTF-8 is read (re-export or convert it)", at: index + 1)
        }
    }

    /// Refuses invalid UTF-8 (RFC 3629: no overlong forms, surrogates or values above U+10FFFF)
    /// and the control characters XML 1.0 excludes (all below U+0020 but tab, LF and CR).
    private func checkCharacters() throws(SessionIOError) {
        var index = documentStart
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead < 0x20 && lead != 0x09 && lead != 0x0A && lead != 0x0D {
                    throw failure("control character 0x\(String(lead, radix: 16, uppercase: true)) is not allowed in XML", at: index)
                }
                index += 1
                continue
            }
            let length: Int, minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC0...0xDF: (length, minimum, scalar) = (2, 0x80, UInt32(lead & 0x1F))
            case 0xE0...0xEF: (length, minimum, scalar) = (3, 0x800, UInt32(lead & 0x0F))
            case 0xF0...0xF7: (length, minimum, scalar) = (4, 0x1_0000, UInt32(lead & 0x07))
            default: throw failure("invalid UTF-8 (byte 0x\(String(lead, radix: 16, uppercase: true)))", at: index)
            }
            guard count - index >= length else { throw failure("invalid UTF-8 (a character cut short by the end of the file)", at: index) }
            for next in (index + 1)..<(index + length) {
                guard bytes[next] & 0xC0 == 0x80 else { throw failure("invalid UTF-8 (byte 0x\(String(bytes[next], radix: 16, uppercase: true)))", at: next) }
                scalar = scalar << 6 | UInt32(bytes[next] & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10_FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                throw failure("invalid UTF-8 (an overlong form, a surrogate or a value beyond U+10FFFF)", at: index)
            }
            index += length
        }
    }
}
