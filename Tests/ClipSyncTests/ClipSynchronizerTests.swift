import ClipProtocol
import ClipSimulator
import ClipSync
import Foundation
import GaitSynth
import Testing

/// The sync logic against the simulated firmware: lossless, resumable, idempotent, and never
/// letting the clip erase what is not durably stored.
@Suite struct ClipSynchronizerTests {
    static func clip(serial: String = "BS-0001", sessions: Int = 3, durationS: Double = 40) -> ClipSimulator {
        ClipSimulator(serial: serial, sessions: (0..<sessions).map { .easyRun(durationS: durationS + Double($0) * 7, sampleRateHz: 100, seed: UInt64(10 + $0)) })
    }

    static func archive() throws -> SessionArchive {
        try SessionArchive(root: FileManager.default.temporaryDirectory.appendingPathComponent("bs-archive-\(UUID().uuidString)").path)
    }

    static func sync(_ clip: ClipSimulator, _ archive: SessionArchive, erase: Bool = true) throws -> SyncReport {
        let client = ClipClient(transport: LoopbackTransport(clip), serial: "usb", timeoutMs: 10, attempts: 4)
        return try ClipSynchronizer(client: client, archive: archive, erase: erase).run()
    }

    /// Every stored session's bytes equal what the clip recorded.
    static func expectStoredExactly(_ originals: [UInt32: [UInt8]], in archive: SessionArchive, serial: String) {
        for (id, bytes) in originals {
            let checksum = SessionChecksum.compute(bytes)
            let path = archive.sessionPath(serial: serial, id: id, checksum: checksum)
            #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == bytes, "session \(id)")
        }
    }

    @Test func syncStoresEverySessionBitExactThenTheClipErasesThem() throws {
        let clip = Self.clip()
        let originals = Dictionary(uniqueKeysWithValues: clip.sessions.map { ($0.id, clip.sessionBytes(id: $0.id)!) })
        let archive = try Self.archive()
        let report = try Self.sync(clip, archive)
        #expect(report.stored.count == 3)
        #expect(Set(report.erased) == Set(originals.keys))
        #expect(clip.sessions.isEmpty)
        Self.expectStoredExactly(originals, in: archive, serial: "BS-0001")
        let complete = archive.list().filter(\.isComplete).count
        #expect(complete == 3)
    }

    @Test func aSecondSyncStoresNothingTwice() throws {
        let clip = Self.clip()
        let archive = try Self.archive()
        _ = try Self.sync(clip, archive, erase: false)
        let second = try Self.sync(clip, archive, erase: false)
        #expect(second.stored.isEmpty)
        #expect(second.alreadyStored.count == 3)
        #expect(archive.list().count == 3)
    }

    @Test(arguments: [(true, 0.1), (true, 0.5), (true, 0.93), (false, 0.2), (false, 0.7)])
    func unplugAtAnyByteThenReplugResumesWithoutLossOrDuplicates(inDirection: Bool, fraction: Double) throws {
        // A clean sync of an identical clip tells how many bytes each direction carries.
        let reference = Self.clip()
        _ = try Self.sync(reference, try Self.archive())
        let traffic = reference.transferredByteCounts
        let clip = Self.clip()
        let originals = Dictionary(uniqueKeysWithValues: clip.sessions.map { ($0.id, clip.sessionBytes(id: $0.id)!) })
        let byte = Int(Double(inDirection ? traffic.toHost : traffic.fromHost) * fraction)
        clip.inject(inDirection ? .unplugAtInByte(byte) : .unplugAtOutByte(byte))
        let archive = try Self.archive()
        var erasedBeforeStored = false
        do {
            _ = try Self.sync(clip, archive)
            Issue.record("the unplug at byte \(byte) did not interrupt the sync")
        } catch let error as ClipSyncError {
            guard case .disconnected = error else { throw error }
        }
        // Whatever the clip no longer has must be durably stored.
        for id in originals.keys where !clip.sessions.contains(where: { $0.id == id }) {
            if archive.stored(serial: "BS-0001", id: id, checksum: SessionChecksum.compute(originals[id]!)) == nil { erasedBeforeStored = true }
        }
        #expect(!erasedBeforeStored)
        clip.clearFaults()
        clip.replug()
        let report = try Self.sync(clip, archive)
        #expect(clip.sessions.isEmpty)
        #expect(archive.list().count == 3)
        Self.expectStoredExactly(originals, in: archive, serial: "BS-0001")
        #expect(report.stored.count + report.alreadyStored.count <= 3)
    }

    @Test func aCorruptedBlockIsReadAgainAndStoredGood() throws {
        let clip = Self.clip(sessions: 1)
        let entry = clip.sessions[0]
        let original = clip.sessionBytes(id: entry.id)!
        clip.inject(.corruptSessionRead(sessionID: entry.id, offset: 5000, persistent: false))
        let archive = try Self.archive()
        let report = try Self.sync(clip, archive)
        #expect(report.rereadBlocks >= 1)
        #expect(report.stored.count == 1)
        Self.expectStoredExactly([entry.id: original], in: archive, serial: "BS-0001")
    }

    @Test func aBlockThatStaysBadIsReportedNotStoredAndNotErased() throws {
        let clip = Self.clip(sessions: 2)
        let bad = clip.sessions[0]
        clip.inject(.corruptSessionRead(sessionID: bad.id, offset: 2000, persistent: true))
        let archive = try Self.archive()
        let report = try Self.sync(clip, archive)
        #expect(report.failed[bad.id] != nil)
        #expect(report.failed[bad.id]?.contains("block 3") == true, "\(report.failed)")
        #expect(archive.stored(serial: "BS-0001", id: bad.id, checksum: bad.checksum) == nil)
        #expect(clip.sessions.map(\.id) == [bad.id])
        #expect(report.stored.count == 1)
    }

    @Test func aSessionCutByPowerLossIsStoredAsIncompleteWithItsGoodBlocks() throws {
        let clip = ClipSimulator(serial: "BS-0002")
        let entry = clip.addSessionCutByPowerLoss(.easyRun(durationS: 20, sampleRateHz: 100, seed: 3), programmedBytes: 100)
        let archive = try Self.archive()
        let report = try Self.sync(clip, archive)
        let record = try #require(report.stored.first)
        #expect(!record.isComplete)
        #expect(record.badBlocks.count == 1)
        #expect(record.sampleCount > 0)
        #expect(report.erased == [entry.id])
    }

    @Test func stallsAndTimeoutsAreRecoveredFrom() throws {
        let clip = Self.clip(sessions: 1)
        clip.inject(.stall(endpoint: 0x81))
        clip.inject(.timeOut(endpoint: 0x01))
        let archive = try Self.archive()
        let report = try Self.sync(clip, archive)
        #expect(report.stored.count == 1)
    }

    @Test func anOlderClipStillSyncs() throws {
        let clip = Self.clip(sessions: 1)
        clip.inject(.olderProtocol(maximumVersion: 1))
        let report = try Self.sync(clip, try Self.archive())
        #expect(report.stored.count == 1)
    }

    @Test func aResumedDownloadKeepsOnlyTheBlocksThatVerify() throws {
        let clip = Self.clip(sessions: 1, durationS: 60)
        let entry = clip.sessions[0]
        let original = clip.sessionBytes(id: entry.id)!
        let archive = try Self.archive()
        // A torn partial file: 7 good blocks and half of an eighth, as a crash could leave it.
        try archive.appendPartial(Array(original[0..<(7 * 512 + 256)]), serial: "BS-0001", id: entry.id, checksum: entry.checksum)
        let report = try Self.sync(clip, archive)
        #expect(report.resumed[entry.id] == 7 * 512)
        Self.expectStoredExactly([entry.id: original], in: archive, serial: "BS-0001")
    }
}

/// The session checksum must depend on the content, not only on the length.
@Suite struct SessionChecksumTests {
    @Test func sessionsOfEqualLengthHaveDifferentChecksums() {
        let clip = ClipSimulator(serial: "BS-0003", sessions: [.easyRun(durationS: 30, sampleRateHz: 100, seed: 1)])
        let original = clip.sessionBytes(id: clip.sessions[0].id)!
        // The same session with one sample changed in block 1, that block's CRC made valid again.
        var changed = original
        changed[512 + 40] ^= 0x01
        let crc = CRC32C.checksum(Array(changed[512..<(512 + 508)]))
        for k in 0..<4 { changed[512 + 508 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        #expect(SessionBlockDecoder.decode(changed, decodeSamples: false).badBlocks.isEmpty)
        #expect(SessionChecksum.compute(original) != SessionChecksum.compute(changed))
        // A CRC over whole blocks (each ending in its own CRC) cannot tell them apart: the residue.
        #expect(CRC32C.checksum(original) == CRC32C.checksum(changed))
    }
}

/// The clip's clock is set from the host's when it is off, and left alone when it is right.
@Suite struct ClipClockTests {
    @Test func aSyncSetsAClockThatIsOffAndLeavesACorrectOneAlone() throws {
        let clip = ClipSimulator(serial: "BS-0004")
        let archive = try SessionArchive(root: FileManager.default.temporaryDirectory.appendingPathComponent("bs-\(UUID().uuidString)").path)
        let first = try ClipSynchronizerTests.sync(clip, archive)
        #expect(first.clockCorrectionS != nil)
        let state = clip.clockState
        let clipNow = try #require(state.utcMicroseconds(atTicks: state.deviceTicks))
        #expect(abs(Double(clipNow) / 1e6 - Date().timeIntervalSince1970) < 1)
        let second = try ClipSynchronizerTests.sync(clip, archive)
        #expect(second.clockCorrectionS == nil)
    }
}
