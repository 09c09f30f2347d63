import Foundation
import GaitDSP
import GRDB
import ClipSync
import SessionIO
import Testing
import SessionIngest
@testable import SessionStore

@Suite("SessionIngest into the SQLite store")
struct SessionIngestStoreTests {
    @Test("importing the same CSV twice stores one session")
    func csvImportIsIdempotent() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = try StoreFixtures.csv(in: folder)
        let first = try StoreFixtures.ingest(store).ingestFile(path: path)
        let second = try StoreFixtures.ingest(store).ingestFile(path: path)
        #expect(first.inserted && !second.inserted)
        #expect(first.id == second.id)
        #expect(try store.sessions(limit: 10).count == 1)
        // A copy under another name is the same content.
        try FileManager.default.copyItem(atPath: path, toPath: folder + "/copy.csv")
        let copy = try StoreFixtures.ingest(store).ingestFile(path: folder + "/copy.csv")
        #expect(copy.id == first.id && !copy.inserted)
    }

    @Test("the same clip session stored twice, by a sync or as a file, is one session")
    func clipImportIsIdempotent() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = StoreFixtures.clipSession(in: folder)
        let record = StoredSession(serial: "BSC-0042", sessionID: 7, checksum: 0, byteLength: 0, sampleCount: 0, sampleRateHz: 200,
                                   startUTCSeconds: 1_760_000_000, hasGyroscope: true, isComplete: true, badBlocks: [],
                                   storedAtSeconds: 0, fileName: "7.bsession")
        let id = try StoreFixtures.ingest(store).ingestClipSession(path: path, record: record).id
        #expect(try !StoreFixtures.ingest(store).ingestClipSession(path: path, record: record).inserted)
        let again = try StoreFixtures.ingest(store).ingestFile(path: path)
        #expect(again.id == id && !again.inserted)
        let rows = try store.sessions(limit: 10)
        #expect(rows.count == 1)
        #expect(rows[0].origin == "BSC-0042")
        let session = try #require(try store.session(id: id))
        #expect(session.source == .clip)
        #expect(session.startedAt == Date(timeIntervalSince1970: 1_760_000_000))
        #expect(try store.database.read { try ClipRecord.fetchAll($0) } == [ClipRecord(id: 1, serial: "BSC-0042", firmware: "1.2")])
        #expect(try store.analysis(id: id)?.input.clockCorrectionS == nil)
    }

    @Test("the stored analysis is the analysis of the file, and re-analysis from the raw samples gives it again")
    func reanalysisEqualsOriginalAnalysis() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let csv = try StoreFixtures.csv(in: folder, durationS: 120)
        let clip = StoreFixtures.clipSession(in: folder, durationS: 120)
        let original = [try SessionFileAnalyzer.analyze(path: csv), try SessionFileAnalyzer.analyze(path: clip)]
        let ids = [try StoreFixtures.ingest(store).ingestFile(path: csv).id, try StoreFixtures.ingest(store).ingestFile(path: clip).id]
        for (id, analysis) in zip(ids, original) {
            #expect(analysis.steps.count > 300)
            #expect(try store.analysis(id: id) == analysis)
            #expect(try StoreFixtures.ingest(store).analyzeStoredSamples(sessionID: id) == analysis)
        }
        let calls = Counter()
        let report = try StoreFixtures.ingest(store).reanalyzeAll(progress: { _, _ in calls.increment() })
        #expect(report == SessionIngest.ReanalysisReport(sessionCount: 2, changedCount: 0, failures: []))
        #expect(calls.value == 2)
        for (id, analysis) in zip(ids, original) { #expect(try store.analysis(id: id) == analysis) }
    }

    @Test("raw samples come back exactly as the reader gave them, in chunks of at most 65,536")
    func rawSamplesRoundTrip() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = try StoreFixtures.csv(in: folder, durationS: 700, rateHz: 100)
        let id = try StoreFixtures.ingest(store).ingestFile(path: path).id
        let (expected, _, _) = try CSVSessionReader.readAll(path: path)
        var reader = try store.rawSamples(id: id)
        #expect(reader.chunkCount == 2)
        var all = IMUBlock()
        while let block = try reader.next() {
            #expect(block.count <= RawSampleCodec.chunkCapacity)
            all.timeS += block.timeS; all.accelXG += block.accelXG; all.accelYG += block.accelYG; all.accelZG += block.accelZG
            all.gyroXDPS += block.gyroXDPS; all.gyroYDPS += block.gyroYDPS; all.gyroZDPS += block.gyroZDPS
        }
        #expect(all == expected)
        #expect(try store.session(id: id)?.sampleCount == expected.count)
    }

    @Test("the async raw-sample stream yields every sample")
    func rawSampleStreamYieldsEverySample() async throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let id = try StoreFixtures.ingest(store).ingestFile(path: try StoreFixtures.csv(in: folder, durationS: 30)).id
        var count = 0
        for try await block in store.rawSampleStream(id: id) { count += block.count }
        #expect(count == (try store.session(id: id)?.sampleCount))
        #expect(count >= 3000)
    }

    @Test("an insert that fails mid-import leaves nothing behind")
    func failedImportLeavesNothing() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = try StoreFixtures.csv(in: folder)
        // The raw chunks and the session row are written before the steps: fail the steps.
        try store.database.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER failStep BEFORE INSERT ON step BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
        }
        #expect(throws: SessionIngestError.self) { try StoreFixtures.ingest(store).ingestFile(path: path) }
        let counts = try store.database.read { db in
            [try SessionRecord.fetchCount(db), try RawChunkRecord.fetchCount(db), try StepRecord.fetchCount(db),
             try SessionSummaryRecord.fetchCount(db), try ClipRecord.fetchCount(db)]
        }
        #expect(counts == [0, 0, 0, 0, 0])
        try store.database.write { try $0.execute(sql: "DROP TRIGGER temp.failStep") }
        #expect(try StoreFixtures.ingest(store).ingestFile(path: path).inserted)
    }

    @Test("a file that does not parse is refused with its name and stores nothing")
    func unreadableFileIsRefused() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = folder + "/bad.csv"
        try "t_s,ax_g,ay_g,az_g\n0,1,2,3\n0.01,abc,2,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = Result { try StoreFixtures.ingest(store).ingestFile(path: path) }
        guard case .failure(let error) = outcome else {
            Issue.record("imported a bad file")
            return
        }
        #expect("\(error)".contains("bad.csv:3"), "\(error)")
        #expect(try store.sessions(limit: 10).isEmpty)
    }

    @Test("migrations run on an empty database and on one made by the first migration")
    func migrationsRunOnEmptyAndExistingDatabases() throws {
        let fresh = try StoreFixtures.store()
        #expect(try fresh.appliedMigrations() == SessionStoreSchema.migrationNames)

        let path = StoreFixtures.folder() + "/old.sqlite"
        let old = try DatabaseQueue(path: path)
        try SessionStoreSchema.migrator.migrate(old, upTo: "v1-schema")
        try old.write { db in
            // The v1 columns only: today's record has columns later migrations add.
            try db.execute(sql: "INSERT INTO runner (name, createdAt) VALUES ('Ada', '2026-01-01 00:00:00.000')")
        }
        try old.close()
        let store = try SQLiteSessionStore(path: path)
        #expect(try store.appliedMigrations() == SessionStoreSchema.migrationNames)
        #expect(try store.database.read { try RunnerRecord.fetchAll($0).map(\.name) } == ["Ada"])
        // Opening again is a no-op.
        #expect(try SQLiteSessionStore(path: path).appliedMigrations() == SessionStoreSchema.migrationNames)
    }

    @Test("pain log is stored per session; pain outside 0–10 is refused")
    func painLogAndFlags() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let id = try StoreFixtures.ingest(store).ingestFile(path: try StoreFixtures.csv(in: folder, durationS: 20)).id
        let entry = try store.addPain(PainLogEntry(sessionId: id, painScore: 4, location: "lower back, left", atS: 1800, note: "after the hill"))
        #expect(entry.id != nil)
        #expect(try store.painLog(sessionID: id).map(\.painScore) == [4])
        #expect(throws: SessionStoreError.self) { try store.addPain(PainLogEntry(sessionId: id, painScore: 11)) }
    }

    @Test("the listing shows steps and cadence from the summary")
    func listingShowsSummaryColumns() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let path = try StoreFixtures.csv(in: folder, durationS: 60)
        let id = try StoreFixtures.ingest(store).ingestFile(path: path).id
        let analysis = try #require(try store.analysis(id: id))
        let row = try #require(try store.sessions(limit: 1).first)
        #expect(row.id == id && row.source == .csv && row.origin == path)
        #expect(row.stepCount == analysis.summary.stepCount)
        #expect(row.cadenceSpm == analysis.summary.metrics?.cadenceSpm)
        #expect(abs(row.durationS - analysis.durationS) < 1e-9)
    }

    @Test("benchmark: list 1,000 stored sessions (printed, not asserted)")
    func listingBenchmark() throws {
        let (listingS, importS) = try SessionStoreBenchmark.measureListing(sessions: 1000)
        print(String(format: "session store: imported 1000 sessions in %.2f s; listed them in %.2f ms", importS, listingS * 1000))
    }
}

/// A thread-safe counter for progress callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
