import ClipProtocol
import Foundation
import GaitDSP
import SessionIO
import Testing

/// A `.bsession` that is empty, cut short, damaged or made up is an error naming the file and
/// block, or a bad block skipped with its reason; never a crash, a hang or NaN samples. These run
/// in the release build too (`Tests/ReleaseParsers`).
@Suite("ClipSessionReader robustness")
struct ClipSessionReaderRobustnessTests {
    static let header = SessionHeader(sessionID: 4, hasGyroscope: true, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000,
                                      startTicks: 1_000, startUTCMicroseconds: SessionHeader.utcNotSet, serial: "BSC-0009")

    /// A valid session of `samples` samples (a slow sine on every axis).
    static func session(samples: Int, header: SessionHeader = header) -> [UInt8] {
        var encoder = SessionEncoder(header: header)
        for i in 0..<samples {
            let v = Int16(truncatingIfNeeded: (i * 37) % 4000 - 2000)
            encoder.append(RawSample(accelX: v, accelY: 2048, accelZ: -v, gyroX: v, gyroY: 0, gyroZ: 1), ticks: header.startTicks + UInt64(i) * 10_000)
        }
        return encoder.finish()
    }

    static func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = temporaryPath(name)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Reads the whole file; returns the samples' count and the bad blocks.
    static func readAll(_ path: String) throws(SessionIOError) -> (samples: Int, bad: [String], finite: Bool) {
        var reader = try ClipSessionReader(path: path)
        defer { reader.close() }
        var count = 0, finite = true
        while let block = try reader.nextBlock() {
            count += block.count
            finite = finite && block.accelXG.allSatisfy(\.isFinite) && block.timeS.allSatisfy(\.isFinite)
        }
        return (count, reader.badBlocks, finite)
    }

    @Test("a valid session reads back whole")
    func validSession() throws {
        let path = Self.write(Self.session(samples: 1_000), "valid.bsession")
        let result = try Self.readAll(path)
        #expect(result.samples == 1_000 && result.bad.isEmpty && result.finite)
    }

    @Test("an empty file, a header cut short and a file of random bytes are errors naming the file and the header")
    func badHeaders() {
        let empty = Self.write([], "empty.bsession")
        #expect(caughtError { try Self.readAll(empty) } == .emptyFile(path: empty))
        let short = Self.write(Array(Self.session(samples: 100).prefix(100)), "short.bsession")
        #expect(caughtError { try Self.readAll(short) }?.description.contains("cut short (100 of 512 bytes)") == true)
        var random = SystemRandomNumberGenerator()
        for n in [511, 512, 513, 4096] {
            let path = Self.write((0..<n).map { _ in UInt8.random(in: 0...255, using: &random) }, "random-\(n).bsession")
            let error = caughtError { try Self.readAll(path) }
            #expect(error != nil, "\(n) random bytes read as a session")
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test("a header with a valid checksum but impossible scales is refused, so no sample becomes NaN or infinite",
          arguments: [Float.nan, .infinity, 0, -1 / 2048])
    func impossibleScales(scale: Float) {
        var header = Self.header
        header.accelGPerLsb = scale
        let bytes = header.encodedBlock() + Array(Self.session(samples: 200).dropFirst(SessionHeader.blockSize))
        let path = Self.write(bytes, "scale.bsession")
        let error = caughtError { try Self.readAll(path) }
        #expect(error?.description.contains("accelGPerLsb") == true, "\(String(describing: error))")
    }

    @Test("damaged, foreign and cut-off blocks are skipped with their reasons; the rest is kept")
    func damagedBlocks() throws {
        var bytes = Self.session(samples: 40 * 10)
        let blockSize = SessionHeader.blockSize
        bytes[blockSize * 3 + 100] ^= 0xFF                         // block 3: CRC mismatch
        let other = Self.session(samples: 40 * 10, header: SessionHeader(
            sessionID: 99, hasGyroscope: true, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000, startTicks: 1_000,
            startUTCMicroseconds: SessionHeader.utcNotSet, serial: "BSC-0009"))
        bytes.replaceSubrange(blockSize * 5..<blockSize * 6, with: other[blockSize * 5..<blockSize * 6])   // block 5: another session's
        bytes.removeLast(blockSize / 2)                           // the last block cut in half
        let result = try Self.readAll(Self.write(bytes, "damaged.bsession"))
        #expect(result.bad.count == 3, "\(result.bad)")
        #expect(result.bad.contains { $0.hasPrefix("block 3:") } && result.bad.contains { $0.hasPrefix("block 5:") })
        #expect(result.samples == 40 * 7 && result.finite)
    }

    @Test("random damage anywhere after the header never crashes and never yields a non-finite sample")
    func randomDamage() throws {
        var random = SystemRandomNumberGenerator()
        let clean = Self.session(samples: 40 * 30)
        for _ in 0..<200 {
            var bytes = clean
            for _ in 0..<Int.random(in: 1...20, using: &random) {
                bytes[Int.random(in: SessionHeader.blockSize..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) { bytes.removeLast(Int.random(in: 0..<SessionHeader.blockSize * 3, using: &random)) }
            let result = try Self.readAll(Self.write(bytes, "fuzz.bsession"))
            #expect(result.finite)
            #expect(result.samples <= 40 * 30)
        }
    }

    /// `bytes` followed by `zeroBytes` zero bytes, written as a sparse file (fast, whatever the size).
    static func writeWithZeroTail(_ bytes: [UInt8], zeroBytes: Int, _ name: String) throws -> String {
        let path = write(bytes, name)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(bytes.count + zeroBytes))
        try handle.close()
        return path
    }

    @Test("a 200 MB zero-filled file with a valid header is refused as empty after its first 1 MiB, naming the blocks")
    func zeroFilledFileIsRefusedEarly() throws {
        let zeroBytes = 200 << 20
        let path = try Self.writeWithZeroTail(Self.header.encodedBlock(), zeroBytes: zeroBytes, "zero-filled.bsession")
        var reader = try ClipSessionReader(path: path)
        defer { reader.close() }
        var refusal: SessionIOError?
        do {
            while try reader.nextBlock() != nil {}
        } catch {
            refusal = error
        }
        let limit = ClipSessionReader.maximumLeadingBadBlocks
        #expect(refusal == .emptyClipSession(path: path, dataBlocksRead: limit, dataBlocksInFile: zeroBytes / 512,
                                             badBlocks: "blocks 1–\(limit): zero-filled (all 0x00: not written by a clip)"))
        #expect(refusal?.description.contains("its first 2048 of 409600 data blocks hold no valid sample") == true, "\(String(describing: refusal))")
        // Only the first 1 MiB (and one read's worth) was read, and one run of bad blocks kept.
        #expect(reader.bytesConsumed <= 512 + (limit + 128) * 512)
        #expect(reader.badBlockRuns.count == 1 && reader.badBlockCount == limit)
    }

    @Test("a zero-filled region after the samples is read through with a bounded record: one run, every block counted")
    func zeroFilledTailKeepsABoundedRecord() throws {
        let zeroBlocks = 40_960   // 20 MiB
        let path = try Self.writeWithZeroTail(Self.session(samples: 40 * 50), zeroBytes: zeroBlocks * 512, "zero-tail.bsession")
        var reader = try ClipSessionReader(path: path)
        defer { reader.close() }
        var samples = 0
        while let block = try reader.nextBlock() { samples += block.count }
        #expect(samples == 40 * 50)
        #expect(reader.badBlockRuns == [BadBlockRun(firstBlock: 51, lastBlock: 50 + zeroBlocks, reason: .zeroFilled)])
        #expect(reader.completeness == ClipSessionCompleteness(sampleCount: 40 * 50, dataBlockCount: 50 + zeroBlocks,
                                                               badBlockCount: zeroBlocks, badBlockRuns: reader.badBlockRuns))
        #expect(reader.completeness.incompleteReason == "\(zeroBlocks) bad blocks of \(50 + zeroBlocks) data blocks, their samples absent "
                 + "(blocks 51–\(50 + zeroBlocks): zero-filled (all 0x00: not written by a clip))")
    }

    @Test("more runs of bad blocks than the reader keeps are counted, not kept")
    func manyBadBlockRunsAreCounted() throws {
        var bytes = Self.session(samples: 40 * 100)
        for block in stride(from: 2, through: 100, by: 2) { bytes[SessionHeader.blockSize * block + 100] ^= 0xFF }
        let path = Self.write(bytes, "many-bad.bsession")
        let completeness = try ClipSessionReader.completeness(path: path)
        #expect(completeness.badBlockCount == 50 && completeness.sampleCount == 40 * 50)
        #expect(completeness.badBlockRuns.count == ClipSessionReader.retainedBadBlockRunLimit)
        #expect(completeness.incompleteReason?.hasPrefix("50 bad blocks of 100 data blocks, their samples absent (block 2: CRC") == true)
        #expect(completeness.incompleteReason?.hasSuffix("; …)") == true, "\(String(describing: completeness.incompleteReason))")
    }
}
