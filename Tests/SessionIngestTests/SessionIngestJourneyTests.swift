import ClipProtocol
import ClipSync
import Foundation
import GaitDSP
import GaitSynth
import GRDB
import SessionIO
import SessionIngest
import Testing
@testable import SessionStore

/// What only the process-level SIGKILL loops reached before: ownership, attribution, pending work
/// after a crash, duplicates arriving by two ways, re-inference, and the write lock, in process.
@Suite("SessionIngest: the runner's journey")
struct SessionIngestJourneyTests {
    /// A clip session committed to an archive as `ClipSynchronizer` commits it.
    static func archived(_ archive: SessionArchive, serial: String, id: UInt32, seed: UInt64, start: SessionStartTime? = nil) throws -> StoredSession {
        let bytes = StoreFixtures.clipSessionBytes(durationS: 60, rateHz: 200, seed: seed, serial: serial, sessionID: id)
        let checksum = SessionChecksum.compute(bytes)
        try archive.appendPartial(bytes, serial: serial, id: id, checksum: checksum)
        let record = StoredSession(serial: serial, sessionID: id, checksum: checksum, byteLength: bytes.count, sampleCount: 12_000,
                                   sampleRateHz: 200, startUTCSeconds: start?.startUTCSeconds ?? 1_760_000_000, hasGyroscope: true,
                                   isComplete: true, badBlocks: [], storedAtSeconds: Date().timeIntervalSince1970,
                                   fileName: (archive.sessionPath(serial: serial, id: id, checksum: checksum) as NSString).lastPathComponent, start: start)
        try archive.commit(record)
        return record
    }

    @Test("a clip's sessions are its owner's, in their current shoes; a clip nobody owns gives unassigned sessions")
    func clipOwnerAndCurrentShoes() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let ingest = StoreFixtures.ingest(store)
        let archive = try SessionArchive(root: folder + "/sessions")
        let ana = try #require(try store.runner(named: "Ana", create: true)?.id)
        let shoe = try #require(try store.shoe(named: "Pegasus 41", runnerID: ana, create: true, distanceSoFarKm: nil)?.id)
        try store.setCurrentShoe(runnerID: ana, shoeID: shoe)
        _ = try store.assignClip(serial: "BSC-0001", runnerID: ana, moveFromAnotherRunner: false)

        let record = try Self.archived(archive, serial: "BSC-0001", id: 1, seed: 5)
        let result = try ingest.ingestClipSession(path: archive.sessionPath(serial: "BSC-0001", id: 1, checksum: record.checksum), record: record)
        #expect(result.inserted && result.runnerID == ana)
        #expect(try store.session(id: result.id)?.shoeId == shoe)
        #expect(try store.history(runnerID: ana).count == 1)

        let other = try Self.archived(archive, serial: "BSC-0002", id: 1, seed: 6)
        let loose = try ingest.ingestClipSession(path: archive.sessionPath(serial: "BSC-0002", id: 1, checksum: other.checksum), record: other)
        #expect(loose.inserted && loose.runnerID == nil)
        #expect(try store.sessions(limit: 10, filter: .unassigned).map(\.id) == [loose.id])

        // Claiming a clip another runner owns is refused; an administrator may move it.
        let ben = try #require(try store.runner(named: "Ben", create: true)?.id)
        #expect(throws: SessionStoreError.clipOwnedByAnotherRunner(serial: "BSC-0001", owner: "Ana")) {
            try store.assignClip(serial: "BSC-0001", runnerID: ben, moveFromAnotherRunner: false)
        }
        #expect(try store.assignClip(serial: "BSC-0001", runnerID: ben, moveFromAnotherRunner: true).runnerId == ben)
    }

    @Test("the default runner owns a clip nobody owns when its first session arrives")
    func defaultRunnerClaimsAnUnownedClip() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let archive = try SessionArchive(root: folder + "/sessions")
        let record = try Self.archived(archive, serial: "BSC-0009", id: 3, seed: 7)
        let result = try StoreFixtures.ingest(store).ingestClipSession(
            path: archive.sessionPath(serial: "BSC-0009", id: 3, checksum: record.checksum), record: record,
            attribution: Attribution(defaultRunner: "Cleo"))
        let cleo = try #require(try store.runner(named: "Cleo", create: false)?.id)
        #expect(result.runnerID == cleo)
        #expect(try store.clip(serial: "BSC-0009")?.runnerId == cleo)
    }

    @Test("after a crash between the archive's commit and the store's write, the next start stores the session once")
    func crashBetweenArchiveAndStoreIsCompleted() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let archive = try SessionArchive(root: folder + "/sessions")
        _ = try Self.archived(archive, serial: "BSC-0003", id: 1, seed: 8)
        _ = try Self.archived(archive, serial: "BSC-0003", id: 2, seed: 9)
        // The store has session 1 (the crash came after it), not session 2.
        let first = try #require(archive.list().first { $0.sessionID == 1 })
        _ = try StoreFixtures.ingest(store).ingestClipSession(path: archive.sessionPath(serial: "BSC-0003", id: 1, checksum: first.checksum), record: first)
        let report = StoreFixtures.ingest(store).completePending(archive: archive)
        #expect(report.storedFromArchive.count == 1 && report.failures.isEmpty)
        #expect(try store.sessions(limit: 10).count == 2)
        let again = StoreFixtures.ingest(store).completePending(archive: archive)
        #expect(again.storedFromArchive.isEmpty && again.flagsComputed.isEmpty)
        #expect(try store.sessions(limit: 10).count == 2)
    }

    @Test("flags that could not be computed are pending, and the next start computes them")
    func missingFlagsAreComputedAtTheNextStart() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let id = try StoreFixtures.ingest(store).ingestFile(path: try StoreFixtures.csv(in: folder, durationS: 60)).id
        #expect(try store.sessionsWithoutInference().isEmpty)
        // What a crash after the write, or a failed flag computation, leaves.
        try store.database.write { db in _ = try SessionFactsRecord.deleteAll(db) }
        #expect(try store.sessionsWithoutInference() == [id])
        let report = StoreFixtures.ingest(store).completePending(archive: nil)
        #expect(report.flagsComputed == [id])
        #expect(try store.sessionsWithoutInference().isEmpty)
    }

    @Test("the same clip session arriving through the inbox and through a sync is stored once")
    func duplicateArrivalByTwoWays() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let archive = try SessionArchive(root: folder + "/sessions")
        let record = try Self.archived(archive, serial: "BSC-0042", id: 7, seed: 2)
        let path = archive.sessionPath(serial: "BSC-0042", id: 7, checksum: record.checksum)
        try FileManager.default.copyItem(atPath: path, toPath: folder + "/dropped.bsession")
        let viaInbox = try StoreFixtures.ingest(store).ingestFile(path: folder + "/dropped.bsession")
        let viaSync = try StoreFixtures.ingest(store).ingestClipSession(path: path, record: record)
        #expect(viaInbox.inserted && !viaSync.inserted && viaInbox.id == viaSync.id)
        #expect(try store.sessions(limit: 10).count == 1)
    }

    @Test("a session assigned later recomputes its flags and the runner's later ones against her history")
    func assigningRecomputesLaterFlags() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let ingest = StoreFixtures.ingest(store)
        let ana = try #require(try store.runner(named: "Ana", create: true)?.id)
        var ids: [SessionID] = []
        for k in 0..<6 {
            let path = try SessionIngestInferenceTests.run(in: folder, seed: UInt64(30 + k), stepTimeAsymmetryPct: k == 5 ? 13 : 0.5)
            let start = Date(timeIntervalSince1970: 1_780_000_000 + Double(k) * 86_400)
            // Session 2 arrives without a runner (an unowned clip), the rest are Ana's.
            let attribution = k == 2 ? Attribution(startedAt: start) : Attribution(runner: "Ana", startedAt: start)
            ids.append(try ingest.ingestFile(path: path, attribution: attribution).id)
        }
        // Four earlier runs: too few for a trusted baseline.
        let before = try #require(try store.storedFlags(sessionID: ids[5]).first { $0.id == "asymmetry.step_time_s" })
        #expect(before.reference.kind == .population)
        try ingest.assign(sessionID: ids[2], runner: "Ana", shoe: nil)
        #expect(try store.session(id: ids[2])?.runnerId == ana)
        let after = try #require(try store.storedFlags(sessionID: ids[5]).first { $0.id == "asymmetry.step_time_s" })
        #expect(after.reference.kind == .runnerBaseline && after.reference.sessionCount == 5)
        #expect(throws: SessionIngestError.self) { try ingest.assign(sessionID: ids[0], runner: "Nobody", shoe: nil) }
        #expect(throws: SessionIngestError.self) { try ingest.assign(sessionID: 999, runner: "Ana", shoe: nil) }
    }

    @Test("the write lock is held for the short write only, not for reading and analysing")
    func writeLockIsShort() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = try StoreFixtures.csv(in: folder, durationS: 600, rateHz: 200)
        let started = Date()
        let result = try StoreFixtures.ingest(store).ingestFile(path: path)
        let totalS = Date().timeIntervalSince(started)
        #expect(result.inserted)
        #expect(result.writeLockS > 0 && result.writeLockS < totalS / 3, "lock \(result.writeLockS) s of \(totalS) s")
    }
}

@Suite("SessionStartTime")
struct SessionStartTimeTests {
    static func entry(_ id: UInt32, ticks: UInt64, utc: Int64 = SessionHeader.utcNotSet, flags: SessionFlags = []) -> SessionEntry {
        SessionEntry(id: id, checksum: 0, startUTCMicroseconds: utc, startTicks: ticks, byteLength: 512, sampleCount: 0,
                     sampleRateMilliHz: 100_000, flags: flags)
    }

    @Test("sessions of the current power-on are placed by the host's clock, earlier ones keep the clip's time or are unknown")
    func startsAreMeasuredAgainstTheHostClock() {
        // The clip has run 10,000 s since power-on; its clock says 2026-01-01 (never set right).
        let clock = ClockState(deviceTicks: 10_000_000_000, tickRateHz: 1_000_000, isUTCSet: true,
                               utcAtTickZeroMicroseconds: 1_767_225_600_000_000, driftPartsPerBillion: 0)
        let hostNow: Int64 = 1_796_000_000_000_000
        let entries = [
            Self.entry(1, ticks: 9_000_000_000),                                  // an earlier power-on, clock unset then
            Self.entry(2, ticks: 500_000_000, utc: 1_700_000_000_000_000, flags: .incomplete),  // power lost while recording
            Self.entry(3, ticks: 1_000_000_000, utc: 1_767_226_600_000_000),      // this power-on, 1,000 s after tick 0
            Self.entry(4, ticks: 8_000_000_000, utc: 1_767_233_600_000_000),
        ]
        let starts = SessionStartTime.measure(entries: entries, clock: clock, hostNowMicroseconds: hostNow)
        #expect(starts[4]?.method == .hostClockAtSync && starts[3]?.method == .hostClockAtSync)
        let start4: Double = starts[4]?.startUTCSeconds ?? 0, correction4: Double = starts[4]?.clockCorrectionS ?? 0
        let start3: Double = starts[3]?.startUTCSeconds ?? 0
        #expect(abs(start4 - 1_795_998_000) < 1e-3)
        #expect(abs(correction4 - 28_764_400) < 1e-3)
        #expect(abs(start3 - 1_795_991_000) < 1e-3)
        #expect(starts[2] == SessionStartTime(startUTCSeconds: 1_700_000_000, clockCorrectionS: nil, method: .clipClock))
        #expect(starts[1] == SessionStartTime(startUTCSeconds: nil, clockCorrectionS: nil, method: .unknown))
    }
}
