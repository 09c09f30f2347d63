import BackstrideTestSupport
import ClipProtocol
import Foundation
import GaitDSP
import GaitInference
import SessionIO
import SessionIngest
@testable import SessionStore
import Testing

/// Issue 13, "Identity of a clip session includes its content": a truncated or damaged copy of a
/// clip session never shadows the whole one, an incomplete copy is stored with its reason, and a
/// copy without a valid sample is refused. Real `.bsession` files and real SQLite stores.
@Suite("SessionIngest of incomplete clip session copies")
struct IncompleteCopyIngestTests {
    static let blockSize = SessionHeader.blockSize

    /// The whole session (60 s at 200 Hz, 40 samples per block: 300 data blocks) and a folder.
    static func wholeSession() -> (folder: String, bytes: [UInt8]) {
        (StoreFixtures.folder(), StoreFixtures.clipSessionBytes(durationS: 60, rateHz: 200, seed: 2, serial: "BSC-0042", sessionID: 7))
    }

    /// Samples of the whole session (its last block is not full).
    static let wholeSampleCount = 11_993

    static func write(_ bytes: [UInt8], _ name: String, in folder: String) -> String {
        let path = folder + "/" + name
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    /// The bytes cut after `blocks` data blocks and `extraBytes` of the next.
    static func truncated(_ bytes: [UInt8], blocks: Int, extraBytes: Int = 0) -> [UInt8] {
        ClipSessionFile.truncated(bytes, blocks: blocks, extraBytes: extraBytes)
    }

    /// The bytes with one byte of data block `block` flipped (its CRC then fails).
    static func damaged(_ bytes: [UInt8], block: Int) -> [UInt8] {
        var copy = bytes
        copy[blockSize * block + 100] ^= 0xFF
        return copy
    }

    static func storedSampleCount(_ store: SQLiteSessionStore, _ id: SessionID) throws -> Int {
        var reader = try store.rawSamples(id: id)
        var count = 0
        while let block = try reader.next() { count += block.count }
        return count
    }

    @Test("a truncated copy imported first is replaced by the whole copy, keeping the session's id, runner, shoes, pain log, notes and watch pairing")
    func truncatedFirstThenWholeReplaces() throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let ingest = StoreFixtures.ingest(store)
        let cut = Self.write(Self.truncated(whole, blocks: 120, extraBytes: 200), "cut.bsession", in: folder)
        let first = try ingest.ingestFile(path: cut, attribution: Attribution(runner: "Ana", createRunner: true, shoe: "Pegasus"))
        #expect(first.inserted && first.replaced == nil)
        #expect(first.incompleteReason?.contains("block 121: only 200 of 512 bytes") == true, "\(String(describing: first.incompleteReason))")
        let id = first.id
        let before = try #require(try store.session(id: id))
        #expect(before.sampleCount == 120 * 40)
        _ = try ingest.logPain(PainLogEntry(sessionId: id, painScore: 3, location: "left knee"))
        _ = try ingest.logPain(PainLogEntry(sessionId: id, note: "felt heavy after the hill"))
        let speed = SessionSpeed(source: "watch.fit", offsetS: 0, method: "clock", cadenceCorrelation: nil, cadenceDifferenceSPM: nil,
                                 overlap: 1, distanceKm: 0.2, minutes: [SessionSpeed.Minute(startS: 0, speedMPS: 3.2)])
        try store.setSessionSpeed(sessionID: id, speed: speed)

        let wholePath = Self.write(whole, "whole.bsession", in: folder)
        #expect(try ClipSessionReader.completeness(path: wholePath).sampleCount == Self.wholeSampleCount)
        let second = try ingest.ingestFile(path: wholePath)
        #expect(second.id == id && second.inserted)
        #expect(second.replaced == ReplacedCopy(previousSampleCount: 120 * 40,
                                                previousIncompleteReason: first.incompleteReason, sampleCount: Self.wholeSampleCount))
        #expect(second.incompleteReason == nil)

        let after = try #require(try store.session(id: id))
        #expect(after.sampleCount == Self.wholeSampleCount && after.incompleteReason == nil)
        #expect(after.runnerId == before.runnerId && after.runnerId != nil)
        #expect(after.shoeId == before.shoeId && after.shoeId != nil)
        #expect(after.startedAt == before.startedAt)
        #expect(try Self.storedSampleCount(store, id) == Self.wholeSampleCount)
        #expect(try store.analysis(id: id) == (try SessionFileAnalyzer.analyze(path: wholePath)))
        #expect(try store.painLog(sessionID: id).map { $0.location ?? $0.note ?? "" } == ["left knee", "felt heavy after the hill"])
        #expect(try store.sessionSpeed(sessionID: id) == speed)
        #expect(try store.sessions(limit: 10).map(\.id) == [id])
        // The flags were recomputed against the whole session (none left pending).
        #expect(try store.sessionsWithoutInference().isEmpty)
        // And the whole copy imported again is the same bytes: already stored.
        let third = try ingest.ingestFile(path: wholePath)
        #expect(third.id == id && !third.inserted && third.replaced == nil)
    }

    @Test("a truncated or damaged copy imported after the whole one is 'already stored' and changes nothing",
          arguments: ["cut on a block boundary", "cut inside a block", "one damaged block"])
    func wholeFirstThenLessCompleteIsAlreadyStored(copy: String) throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let ingest = StoreFixtures.ingest(store)
        let id = try ingest.ingestFile(path: Self.write(whole, "whole.bsession", in: folder)).id
        let analysis = try store.analysis(id: id)
        let bytes = switch copy {
        case "cut on a block boundary": Self.truncated(whole, blocks: 299)
        case "cut inside a block": Self.truncated(whole, blocks: 299, extraBytes: 300)
        default: Self.damaged(whole, block: 150)
        }
        let result = try ingest.ingestFile(path: Self.write(bytes, "copy.bsession", in: folder))
        #expect(result.id == id && !result.inserted && result.replaced == nil)
        let session = try #require(try store.session(id: id))
        #expect(session.sampleCount == Self.wholeSampleCount && session.incompleteReason == nil && session.sourcePath?.hasSuffix("whole.bsession") == true)
        #expect(try store.analysis(id: id) == analysis)
    }

    @Test("a copy as complete as the stored one (damaged elsewhere) leaves the stored one: only more samples replace")
    func equallyCompleteCopyIsAlreadyStored() throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let ingest = StoreFixtures.ingest(store)
        let first = try ingest.ingestFile(path: Self.write(Self.damaged(whole, block: 10), "a.bsession", in: folder))
        let second = try ingest.ingestFile(path: Self.write(Self.damaged(whole, block: 200), "b.bsession", in: folder))
        #expect(first.inserted && !second.inserted && second.id == first.id)
        #expect(try store.session(id: first.id)?.incompleteReason?.contains("block 10:") == true)
        // A copy with more verified samples than the stored one does replace it.
        let third = try ingest.ingestFile(path: Self.write(whole, "whole.bsession", in: folder))
        #expect(third.inserted && third.id == first.id && third.replaced?.previousSampleCount == Self.wholeSampleCount - 40)
    }

    @Test("an incomplete clip session is stored marked with its reason, shown in the listing and the analysis document")
    func incompleteSessionIsStoredWithItsReason() throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let path = Self.write(Self.damaged(Self.damaged(whole, block: 3), block: 4), "damaged.bsession", in: folder)
        let result = try StoreFixtures.ingest(store).ingestFile(path: path)
        let reason = try #require(result.incompleteReason)
        #expect(reason.hasPrefix("2 bad blocks of 300 data blocks, their samples absent (blocks 3–4: CRC"), "\(reason)")
        #expect(try store.session(id: result.id)?.incompleteReason == reason)
        #expect(try store.sessions(limit: 10).first?.incompleteReason == reason)
        #expect(try store.storedDocument(sessionID: result.id)?.analysis.input.warnings.contains("incomplete session: " + reason) == true)
        #expect(try Self.storedSampleCount(store, result.id) == Self.wholeSampleCount - 80)
        // A whole session is not marked.
        let wholeResult = try StoreFixtures.ingest(store).ingestFile(path: StoreFixtures.clipSession(in: folder, sessionID: 8))
        #expect(wholeResult.incompleteReason == nil)
        #expect(try store.session(id: wholeResult.id)?.incompleteReason == nil)
    }

    @Test("a clip session without a valid sample is refused with an error naming the file, and nothing is stored",
          arguments: ["header only", "zero-filled blocks", "every block damaged"])
    func emptySessionIsRefused(kind: String) throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let header = Array(whole.prefix(Self.blockSize))
        let bytes: [UInt8] = switch kind {
        case "header only": header
        case "zero-filled blocks": header + [UInt8](repeating: 0, count: Self.blockSize * 10)
        default: (1...5).reduce(Self.truncated(whole, blocks: 5)) { Self.damaged($0, block: $1) }
        }
        let path = Self.write(bytes, "empty.bsession", in: folder)
        let outcome = Result { try StoreFixtures.ingest(store).ingestFile(path: path) }
        guard case .failure(let error) = outcome, case .unreadable(let ioError) = error as? SessionIngestError,
              case .emptyClipSession(let errorPath, _, _, _) = ioError else {
            Issue.record("not refused as empty: \(outcome)")
            return
        }
        #expect(errorPath == path)
        #expect("\(error)".hasPrefix(path + ": empty clip session"), "\(error)")
        if kind == "zero-filled blocks" { #expect("\(error)".contains("blocks 1–10: zero-filled"), "\(error)") }
        #expect(try store.sessions(limit: 10).isEmpty)
    }

    @Test("an empty copy of a stored clip session is refused too, and the stored session is kept")
    func emptyCopyOfStoredSessionIsRefused() throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let id = try StoreFixtures.ingest(store).ingestFile(path: Self.write(whole, "whole.bsession", in: folder)).id
        let empty = Self.write(Array(whole.prefix(Self.blockSize)) + [UInt8](repeating: 0, count: Self.blockSize * 4), "zero.bsession", in: folder)
        #expect(throws: SessionIngestError.self) { try StoreFixtures.ingest(store).ingestFile(path: empty) }
        #expect(try store.session(id: id)?.sampleCount == Self.wholeSampleCount)
    }

    @Test("a run followed by 20 MiB of zero-filled blocks is stored with its samples, marked with one run of zero-filled blocks")
    func zeroFilledTailIsStoredIncomplete() throws {
        let (folder, whole) = Self.wholeSession()
        let store = try StoreFixtures.store()
        let path = Self.write(whole, "zero-tail.bsession", in: folder)
        let zeroBlocks = 40_960
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(whole.count + zeroBlocks * Self.blockSize))
        try handle.close()
        let result = try StoreFixtures.ingest(store).ingestFile(path: path)
        #expect(result.inserted)
        #expect(result.incompleteReason?.hasPrefix("\(zeroBlocks) bad blocks of \(300 + zeroBlocks) data blocks, their samples absent (blocks 301–\(300 + zeroBlocks): zero-filled") == true,
                "\(String(describing: result.incompleteReason))")
        #expect(try store.session(id: result.id)?.sampleCount == Self.wholeSampleCount)
    }
}
