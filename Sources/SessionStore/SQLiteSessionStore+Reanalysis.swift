import Dispatch
import Foundation
import GaitDSP
import GRDB

extension SQLiteSessionStore {
    public func reanalyzeAll(progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) throws -> ReanalysisReport {
        let ids = try wrap("listing sessions") {
            try database.read { try SessionRecord.select(Column("id"), as: Int64.self).order(Column("id")).fetchAll($0) }
        }
        let tally = Tally()
        // One session per worker: each streams its chunks through its own engine (bounded memory),
        // readers run in parallel, writes are serialised by the pool.
        DispatchQueue.concurrentPerform(iterations: ids.count) { index in
            let id = ids[index]
            do {
                let changed = try reanalyze(id: id)
                tally.record(changed: changed, failure: nil)
            } catch {
                tally.record(changed: false, failure: "session \(id): \(error)")
            }
            progress?(tally.done, ids.count)
        }
        // New analyses make new flags: each runner's sessions in start order, then the sessions of no runner.
        try reinferAll()
        return tally.report
    }

    /// Recomputes the flags of every session (each runner's in start order).
    public func reinferAll() throws {
        let runnerIDs = try wrap("listing runners") {
            try database.read { try Int64.fetchAll($0, sql: "SELECT DISTINCT runnerId FROM session WHERE runnerId IS NOT NULL") }
        }
        for runner in runnerIDs { _ = try reinferRunner(runnerID: runner) }
        let loose = try wrap("listing sessions") {
            try database.read { try Int64.fetchAll($0, sql: "SELECT id FROM session WHERE runnerId IS NULL ORDER BY id") }
        }
        for id in loose { _ = try inferFlags(sessionID: id) }
    }

    /// Recomputes one session's analysis from its raw samples and stores it; returns whether it changed.
    @discardableResult
    public func reanalyze(id: SessionID) throws -> Bool {
        let analysis = try analyzeRawSamples(id: id)
        return try wrap("storing the analysis of session \(id)") {
            try database.write { db in
                let before = try Self.storedAnalysis(db, sessionID: id)
                try Self.storeAnalysis(analysis, sessionID: id, in: db)
                return before != analysis
            }
        }
    }

    /// The analysis the current GaitDSP gives for a session's stored raw samples (nothing is stored).
    public func analyzeRawSamples(id: SessionID) throws -> GaitAnalysis {
        try wrap("re-analysing session \(id)") {
            try database.read { db in
                guard let session = try SessionRecord.fetchOne(db, key: id) else { throw SessionStoreError.noSuchSession(id: id) }
                let readerInput = try JSONDecoder().decode(InputDescription.self, from: Data(session.readerInputJSON.utf8))
                var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: session.configuredSampleRateHz))
                let chunks = try RawChunkRecord.filter(Column("sessionId") == id).order(Column("chunkIndex")).fetchCursor(db)
                while let chunk = try chunks.next() {
                    engine.process(try RawSampleReader.decode(chunk))
                }
                return engine.finish(input: readerInput)
            }
        }
    }
}

/// Counts finished re-analyses across the worker threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var doneCount = 0
    private var changedCount = 0
    private var failures: [String] = []

    func record(changed: Bool, failure: String?) {
        lock.lock()
        defer { lock.unlock() }
        doneCount += 1
        if changed { changedCount += 1 }
        if let failure { failures.append(failure) }
    }

    var done: Int {
        lock.lock()
        defer { lock.unlock() }
        return doneCount
    }

    var report: ReanalysisReport {
        lock.lock()
        defer { lock.unlock() }
        return ReanalysisReport(sessionCount: doneCount - failures.count, changedCount: changedCount, failures: failures)
    }
}
