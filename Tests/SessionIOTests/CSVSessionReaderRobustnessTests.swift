import Testing
import GaitDSP
@testable import SessionIO

@Suite("CSVSessionReader robustness")
struct CSVSessionReaderRobustnessTests {
    static let header = "t_s,ax_g,ay_g,az_g\n"

    @Test("read chunk size does not change the result (chunk boundaries inside lines and numbers)", arguments: [1, 2, 3, 7, 16, 64, 1 << 20])
    func chunkSizeDoesNotMatter(chunkBytes: Int) throws {
        var text = "# fs_hz=100\n" + Self.header
        for index in 0..<200 { text += "\(Double(index) * 0.01),\(Double(index) * 0.001),-0.98765,1.02345e0\n" }
        let (block, _, _) = try readAllSmallChunks(text, chunkBytes: chunkBytes, blockSize: 17)
        #expect(block.count == 200)
        #expect(block.timeS[199] == 1.99)
        #expect(block.accelXG[123] == Float(0.123))
        #expect(block.accelYG.allSatisfy { $0 == Float(-0.98765) })
        #expect(block.accelZG.allSatisfy { $0 == Float(1.02345) })
    }

    @Test("blocks hold at most blockSize samples and together hold all samples")
    func blocksRespectBlockSize() throws {
        var text = Self.header
        for index in 0..<1000 { text += "\(index),0,0,1\n" }
        var reader = try CSVSessionReader(text: text, blockSize: 300)
        var sizes: [Int] = []
        while let block = try reader.nextBlock() { sizes.append(block.count) }
        #expect(sizes == [300, 300, 300, 100])
        #expect(reader.bytesConsumed == reader.totalBytes)
        #expect(try reader.nextBlock() == nil)
    }

    @Test("CRLF line endings")
    func crlfLineEndings() throws {
        let text = "# fs_hz=50\r\nt_s,ax_g,ay_g,az_g\r\n0,1,2,3\r\n0.02,4,5,6\r\n"
        let (block, metadata, _) = try readAllSmallChunks(text)
        #expect(metadata.declaredSampleRateHz == 50)
        #expect(block.timeS == [0, 0.02])
        #expect(block.accelZG == [3, 6])
    }

    @Test("UTF-8 byte order mark before the header")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((Self.header + "0,1,2,3\n").utf8)
        let (block, metadata, _) = try readAllSmallChunks(bytes: bytes, chunkBytes: 2)
        #expect(metadata.dialect == .canonical)
        #expect(block.count == 1)
    }

    @Test("trailing blank lines and blank lines between rows are ignored")
    func trailingBlankLines() throws {
        let (block, _, warnings) = try readAllSmallChunks(Self.header + "0,1,2,3\n\n1,1,2,3\n\n\r\n  \n\n")
        #expect(block.count == 2)
        #expect(warnings.isEmpty)
    }

    @Test("a last line without newline is kept when complete")
    func unterminatedCompleteLastLine() throws {
        let (block, _, warnings) = try readAllSmallChunks(Self.header + "0,1,2,3\n1,4,5,6")
        #expect(block.accelZG == [3, 6])
        #expect(warnings.isEmpty)
    }

    @Test("truncated last line is dropped with a warning naming it", arguments: [
        ("0,1,2,3\n1,4,5", "field 'az_g'"),       // fewer fields, no newline
        ("0,1,2,3\n1,4,5,\n\n", "az_g"),        // cut after the separator, then blank lines
        ("0,1,2,3\n1,4,5,6.1e", "az_g"),        // cut inside an exponent
        ("0,1,2,3\n1,4,-", "ay_g"),            // cut after a sign
        ("0,1,2,3\n1", "ax_g"),                 // only the time
    ])
    func truncatedLastLineBecomesWarning(tail: String, mention: String) throws {
        let (block, _, warnings) = try readAllSmallChunks(Self.header + tail, name: "cut.csv")
        #expect(block.count == 1)
        #expect(warnings.count == 1)
        guard case .truncatedLastLine("cut.csv", 3, _)? = warnings.first else {
            Issue.record("expected truncatedLastLine on line 3, got \(warnings)")
            return
        }
        #expect(warnings[0].description.hasPrefix("cut.csv:3: last line is truncated"))
        #expect(warnings[0].description.contains(mention))
    }

    @Test("a short row that is not the last line is an error naming the missing column")
    func shortRowInTheMiddleIsAnError() {
        let error = caughtError { try readAllSmallChunks(Self.header + "0,1,2,3\n1,4,5\n2,7,8,9\n") }
        #expect(error == .tooFewFields(path: "data.csv", line: 3, column: "az_g", expected: 4, found: 3))
        #expect(error?.description == "data.csv:3: field 'az_g' is missing (expected at least 4 fields, found 3)")
    }

    @Test("time going backwards is an error with both times")
    func timeGoingBackwards() {
        let error = caughtError { try readAllSmallChunks("# c\n" + Self.header + "0,0,0,1\n0.02,0,0,1\n0.01,0,0,1\n") }
        #expect(error == .timeWentBackwards(path: "data.csv", line: 5, column: "t_s", previousS: 0.02, timeS: 0.01))
        #expect(error?.description == "data.csv:5: field 't_s': time goes backwards from 0.02 s to 0.01 s")
    }

    @Test("equal consecutive timestamps are allowed")
    func equalTimestampsAllowed() throws {
        let (block, _, _) = try readAllSmallChunks(Self.header + "0,0,0,1\n0,0,0,1\n0.01,0,0,1\n")
        #expect(block.timeS == [0, 0, 0.01])
    }

    @Test("a value that is not a number is an error with file, line, column and text")
    func nonNumericValue() {
        let error = caughtError { try readAllSmallChunks("# a\n# b\n" + Self.header + "0,0,0,1\n0.01,0,abc,1\n0.02,0,0,1\n") }
        #expect(error == .notANumber(path: "data.csv", line: 5, column: "ay_g", text: "abc"))
        #expect(error?.description == "data.csv:5: field 'ay_g': 'abc' is not a number")
    }

    @Test("NaN, infinity and out-of-range values are errors", arguments: ["nan", "NaN", "inf", "-Infinity", "1e39", "1e400"])
    func nonFiniteValues(text: String) {
        let error = caughtError { try readAllSmallChunks(Self.header + "0,0,\(text),1\n0.01,0,0,1\n") }
        #expect(error == .nonFinite(path: "data.csv", line: 2, column: "ay_g", text: text))
    }

    @Test("a non-numeric value on the last line is still an error, not a truncation")
    func garbageOnLastLineIsAnError() {
        let error = caughtError { try readAllSmallChunks(Self.header + "0,0,0,1\n0.01,0,0,abc") }
        #expect(error == .notANumber(path: "data.csv", line: 3, column: "az_g", text: "abc"))
    }

    @Test("quoted and space-padded values are read (slow path)")
    func quotedAndPaddedValues() throws {
        let (block, _, _) = try readAllSmallChunks(Self.header + "\"0\", 1.5 ,\"-2\",3\n")
        #expect(block.accelXG == [1.5])
        #expect(block.accelYG == [-2])
    }

    @Test("an empty file is an error", arguments: ["", "\n\n", "   \r\n"])
    func emptyFile(text: String) {
        #expect(caughtError { try readAllSmallChunks(text) } == .emptyFile(path: "data.csv"))
    }

    @Test("comments without a header is an error")
    func commentsOnly() {
        #expect(caughtError { try readAllSmallChunks("# fs_hz=100\n") } == .noHeader(path: "data.csv"))
    }

    @Test("a header without samples is an error", arguments: [Self.header, Self.header + "\n\n", "t_s,ax_g,ay_g,az_g"])
    func headerOnly(text: String) {
        #expect(caughtError { try readAllSmallChunks(text) } == .noSamples(path: "data.csv"))
    }

    @Test("binary garbage (NUL bytes, invalid UTF-8) is an error, not a crash", arguments: [
        [0, 0, 0, 0, 0x10, 0x20, 10, 0, 0],
        [0xFF, 0xFE, 0x41, 0x00, 0x42, 0x00, 10],
        Array((header + "0,0,0,1\n").utf8) + [0x30, 0x2C, 0xC3, 0x28, 0x2C, 0x30, 0x2C, 0x31, 10],
        Array((header + "0,0,0,1\n").utf8) + [0x30, 0x2C, 0x00, 0x2C, 0x30, 0x2C, 0x31, 10],
    ])
    func binaryGarbage(bytes: [UInt8]) {
        let error = caughtError { try readAllSmallChunks(bytes: bytes) }
        guard case .binaryData(_, let line)? = error else {
            Issue.record("expected binaryData, got \(String(describing: error))")
            return
        }
        #expect(line >= 1)
    }

    @Test("random bytes never crash the reader")
    func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var bytes = Array((Self.header + "0,0,0,1\n").utf8)
            let alphabet = Array("0123456789.,-+eE\n\r ;\"#nafi".utf8) + [0, 0xFF, 0xC3]
            for _ in 0..<Int.random(in: 0...200, using: &generator) {
                bytes.append(round % 2 == 0 ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator))
            }
            _ = try? readAllSmallChunks(bytes: bytes, chunkBytes: Int.random(in: 1...40, using: &generator))
        }
    }

    @Test("an absurdly long line is an error after a bounded length", arguments: [false, true])
    func absurdLineLength(inHeader: Bool) throws {
        let long = [UInt8](repeating: UInt8(ascii: "1"), count: 10 * 1024 * 1024)
        let bytes = inHeader ? long : Array((Self.header + "0,0,0,1\n").utf8) + long + [10]
        let error = caughtError { try CSVSessionReader.readAll(bytes: bytes, name: "long.csv") }
        #expect(error == .lineTooLong(path: "long.csv", line: inHeader ? 1 : 3, limitBytes: CSVSessionReader.maxLineBytes))
    }

    @Test("a long line is an error whether or not it crosses a read chunk boundary")
    func longLineInsideOneChunk() {
        let bytes = Array((Self.header + "0,0,0,1" + String(repeating: ",7", count: 100) + "\n").utf8)
        let error = caughtError { try readAllSmallChunks(bytes: bytes, chunkBytes: 4096, maxLineBytes: 64) }
        #expect(error == .lineTooLong(path: "data.csv", line: 2, limitBytes: 64))
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        let error = caughtError { try CSVSessionReader(path: "/nonexistent/session.csv") }
        guard case .cannotOpen("/nonexistent/session.csv", _)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
    }

    @Test("after an error the reader returns no more blocks")
    func noBlocksAfterError() throws {
        var reader = try CSVSessionReader(text: Self.header + "0,0,0,1\n0.01,x,0,1\n")
        #expect(throws: SessionIOError.self) { try reader.nextBlock() }
        #expect(try reader.nextBlock() == nil)
    }
}
