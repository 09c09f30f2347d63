import Foundation
import Testing
@testable import SessionIO

/// GPX and TCX that are not well-formed XML, cut short, damaged or made up are one clear error
/// naming the line and byte offset (or, when what is left is still a valid file, a track), never a
/// crash, a hang or unbounded memory. These run in the release build too (`Tests/ReleaseParsers`).
@Suite("Watch XML robustness")
struct WatchXMLRobustnessTests {
    static let trackPoint = "<trkpt lat=\"1\" lon=\"2\"><time>2026-05-01T07:30:00Z</time></trkpt>"

    /// A minimal GPX around `body`, which goes inside `<trkseg>`.
    static func gpx(_ body: String = trackPoint) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"t\">\n<trk><trkseg>\(body)</trkseg></trk>\n</gpx>\n"
    }

    static func read(_ text: String) -> Result<WatchTrack, SessionIOError> { read(Array(text.utf8)) }

    static func read(_ bytes: [UInt8], name: String = "t.gpx") -> Result<WatchTrack, SessionIOError> {
        do {
            return .success(try WatchFileReader.read(bytes: bytes, name: name))
        } catch {
            return .failure(error)
        }
    }

    @Test("the minimal GPX of these tests reads")
    func minimal() throws {
        #expect(try Self.read(Self.gpx()).get().points.count == 1)
    }

    /// (document, the error's line, its byte offset, the reason).
    static let malformed: [(String, Int, Int, String)] = [
        (gpx("<trkpt lat=\"1\" lon=\"2\"><ele>1</ele>"), 3, 119,
         "expected </trkpt> to close the element opened on line 3, found </trkseg>"),
        (gpx("<trkpt lat=1 lon=\"2\"/>"), 3, 95, "expected a quoted value (\"…\" or '…') for the attribute 'lat'"),
        (gpx("<trkpt lat=\"1\" lat=\"2\"/>"), 3, 99, "the attribute 'lat' appears twice in <trkpt>"),
        (gpx("<trkpt lat=\"1\"lon=\"2\"/>"), 3, 98, "expected whitespace, '>' or '/>' in the start tag <trkpt>"),
        (gpx("<name>a & b</name>"), 3, 92, "expected an entity reference such as '&amp;' or '&#38;' (a bare '&' must be written '&amp;')"),
        (gpx("<name>&nbsp;</name>"), 3, 90,
         "'&nbsp;' is not one of XML's entities (&lt; &gt; &amp; &quot; &apos;) or a reference to a character XML allows"),
        (gpx("<name>&#0;</name>"), 3, 90,
         "'&#0;' is not one of XML's entities (&lt; &gt; &amp; &quot; &apos;) or a reference to a character XML allows"),
        (gpx("<trkpt lat=\"<1\" lon=\"2\"/>"), 3, 96, "'<' inside the value of the attribute 'lat'"),
        (gpx("<!-- a -- b -->"), 3, 91, "'--' inside a comment (it may only end one, as '-->')"),
        (gpx("<!-- open"), 3, 84, "the file ends inside the comment opened here"),
        (gpx("<![CDATA[ open"), 3, 84, "the file ends inside the CDATA section opened here"),
        (gpx("<name>]]></name>"), 3, 90, "']]>' in text (write it as ']]&gt;')"),
        (gpx("<a:b:c/>"), 3, 85, "expected a name with at most one ':' between a prefix and a local name, found 'a:b:c'"),
        (gpx("<1/>"), 3, 85, "expected an element name after '<'"),
        (gpx("<?xml version=\"1.0\"?>"), 3, 84, "an XML declaration '<?xml …?>' is allowed only at the very start of the file"),
        (gpx() + "<gpx/>", 5, 171, "a second root element (an XML document has exactly one)"),
        (gpx() + "text", 5, 171, "text after the end of the root element"),
        ("<?xml version=\"1.0\"?>x<gpx/>", 1, 21, "text before the root element"),
        ("<gpx>", 1, 5, "the file ends before </gpx> (opened on line 1)"),
        ("<gpx><trk", 1, 9, "the file ends inside the start tag <trk>"),
        ("<gpx></trk>", 1, 5, "expected </gpx> to close the element opened on line 1, found </trk>"),
        ("<gpx/></gpx>", 1, 6, "the end tag </gpx> has no start tag"),
        ("<!DOCTYPE gpx [<!ENTITY a \"aaaa\">]><gpx/>", 1, 0,
         "a DOCTYPE declaration is not accepted (watch files have none, and its entities could expand without bound)"),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx/>", 1, 30,
         "the file declares encoding 'ISO-8859-1'; only UTF-8 is read (re-export or convert it)"),
        ("<gpx>\n<trk>\u{1}</trk></gpx>", 2, 11, "control character 0x1 is not allowed in XML"),
        ("<!-- only a comment -->", 1, 23, "the file has no root element"),
        (gpx("<trkpt lat=\"1\" lon=\"2\" "), 3, 107, "expected an attribute name, '>' or '/>' in the start tag <trkpt>"),
    ]

    @Test("malformed XML is one error naming the line and byte, with the reason", arguments: 0..<malformed.count)
    func malformedXML(index: Int) {
        let (document, line, offset, reason) = Self.malformed[index]
        let error = caughtError { try WatchFileReader.read(bytes: Array(document.utf8), name: "t.gpx") }
        #expect(error == .malformedXML(path: "t.gpx", line: line, offset: offset, reason: reason), "\(document)")
    }

    @Test("invalid UTF-8 (a stray continuation byte, an overlong form, a surrogate, a cut sequence) is an error at its byte",
          arguments: [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        let bytes = Array("<gpx><name>ab".utf8) + sequence + Array("</name></gpx>".utf8)
        let error = caughtError { try WatchFileReader.read(bytes: bytes, name: "u.gpx") }
        #expect(error?.byteOffset == (sequence == [0xE2, 0x82] ? 15 : 13), "\(String(describing: error))")
        #expect(error?.description.contains("invalid UTF-8") == true)
    }

    @Test("well-formed XML the readers must accept: a BOM, single quotes, prefixes, comments, CDATA, entities, empty elements, processing instructions")
    func acceptedXML() throws {
        let document = "\u{FEFF}<?xml version='1.0' encoding='utf-8'?><!-- c --><?xml-stylesheet href=\"a\"?>\n"
            + "<g:gpx xmlns:g='http://www.topografix.com/GPX/1/1' creator='A &lt;&amp;&gt; &quot;B&apos; &#x263A;'>"
            + "<g:trk><g:type><![CDATA[run]]>ning</g:type><g:trkseg><g:trkpt lat = '1.5' lon=\"-2\" >"
            + "<g:ele>1<!-- x -->2</g:ele><g:time> 2026-05-01T07:30:00Z </g:time><g:extensions/></g:trkpt></g:trkseg></g:trk></g:gpx>"
            + "\n<!-- after -->\n"
        let track = try Self.read(document).get()
        #expect(track.device == "A <&> \"B' \u{263A}")
        #expect(track.sport == "running")
        #expect(track.points == [WatchPoint(timeUTCS: 1_777_620_600, distanceM: 0, altitudeM: 12, latitudeDeg: 1.5, longitudeDeg: -2)])
    }

    @Test("elements nested 1000 deep and 1000 attributes on one element are refused without deep recursion or growth")
    func bounds() {
        let deep = "<gpx>" + String(repeating: "<a>", count: 1000) + String(repeating: "</a>", count: 1000) + "</gpx>"
        #expect(caughtError { try Self.read(deep).get() }?.description == "t.gpx:1: byte 770: malformed XML: elements nested more than 256 deep")
        let wide = "<gpx " + (0..<1000).map { "a\($0)=\"1\"" }.joined(separator: " ") + "/>"
        #expect(caughtError { try Self.read(wide).get() }?.description.contains("more than 256 attributes in <gpx>") == true)
    }

    @Test("every truncation of the GPX and TCX fixtures is an error naming the line and byte (the files end with their root element)",
          arguments: ["track.gpx", "run.tcx"])
    func everyTruncation(fixture: String) throws {
        let clock = ContinuousClock(), start = clock.now
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath("watch/" + fixture))))
        var cases = 0, tracks = 0
        // From the longest cut down, so the one cut that still reads (dropping only the final
        // newline) is among the cases when they are sampled.
        for length in stride(from: bytes.count - 1, through: 0, by: -FuzzScale.step(count: bytes.count, debugCases: 800)) {
            cases += 1
            switch Self.read(Array(bytes[0..<length])) {
            case .success(let track):
                tracks += 1
                #expect(length == bytes.count - 1 && FITTestBytes.isSane(track), "cut to \(length) bytes was read")
            case .failure(let error):
                let fine = length == 0 ? error == .emptyFile(path: "t.gpx") : error.line != nil && error.byteOffset != nil
                #expect(fine, "cut to \(length): \(error)")
                if !fine { return }
            }
        }
        #expect(tracks == 1)
        print("XML truncations, \(fixture): \(cases) cases in \(clock.now - start)")
    }

    @Test("2000 seeded single-byte corruptions of each XML fixture (1000 in debug builds): an error naming the line and byte, or a sane track",
          arguments: ["track.gpx", "run.tcx"])
    func randomSingleByteCorruptions(fixture: String) throws {
        let trials = FuzzScale.trials(2000, debug: 1000)
        let clock = ContinuousClock(), start = clock.now
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath("watch/" + fixture))))
        var generator = SeededGenerator(state: fixture == "run.tcx" ? 7 : 11)
        var tracks = 0
        for _ in 0..<trials {
            var bytes = original
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[position] = UInt8.random(in: 0...255, using: &generator)
            switch Self.read(bytes, name: "t.xml") {
            case .success(let track):
                tracks += 1
                #expect(FITTestBytes.isSane(track))
            case .failure(let error):
                #expect(error.line != nil || error.description.contains("not a watch file") || error.description.contains("no track points"),
                        "byte \(position): \(error)")
            }
        }
        print("XML single-byte corruptions, \(fixture): \(trials) cases (\(tracks) read) in \(clock.now - start)")
    }

    @Test("2000 seeded random documents of XML-ish bytes never crash")
    func randomDocuments() {
        let clock = ContinuousClock(), start = clock.now
        var generator = SeededGenerator(state: 99)
        let alphabet = Array("<>/=\"' &;#x!-[]?:abgpxtrkseg0123456789\n".utf8)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...600, using: &generator)
            let bytes = Array("<gpx>".utf8) + (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            if case .failure(let error) = Self.read(bytes) {
                #expect(error.line != nil || error.description.contains("no track points"), "\(error)")
            }
        }
        print("XML random documents: 2000 cases in \(clock.now - start)")
    }
}
