import BackstrideTestSupport
import Foundation
import SessionIngest
import SessionStore
import Testing

/// A re-analysis of the whole store can be stopped and resumed (issue 14): a stopped run stores
/// what it finished and recomputes no flags; the next run, told what is done, finishes the rest,
/// and every session is re-analysed exactly once.
@Suite(.ownThreads) struct ResumableReanalysisTests {
    /// The ids a run finished, from any worker thread.
    final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [SessionID] = []
        func add(_ id: SessionID) { lock.withLock { ids.append(id) } }
        var all: [SessionID] { lock.withLock { ids } }
    }

    @Test func aStoppedRunIsResumedWithoutDoingASessionTwice() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        var stored: [SessionID] = []
        for seed in 1...6 {
            stored.append(try StoreFixtures.ingest(store).ingestFile(path: try StoreFixtures.csv(in: folder, durationS: 30, seed: UInt64(seed))).id)
        }
        let first = Finished()
        let stopped = try StoreFixtures.ingest(store).reanalyzeAll(
            completed: { first.add($0) }, shouldStop: { first.all.count >= 2 }, progress: nil)
        #expect(stopped.interrupted)
        #expect(first.all.count >= 2 && first.all.count < 6, "finished \(first.all)")
        #expect(stopped.sessionCount == first.all.count)

        let second = Finished()
        let resumed = try StoreFixtures.ingest(store).reanalyzeAll(skipping: Set(first.all), completed: { second.add($0) }, progress: nil)
        #expect(!resumed.interrupted)
        #expect(resumed.skippedCount == first.all.count)
        #expect(Set(first.all).isDisjoint(with: second.all))
        #expect((first.all + second.all).sorted() == stored.sorted())
        #expect(resumed.failures.isEmpty)
    }

    @Test func theCommandGoesOnFromItsCheckpointAndRemovesIt() throws {
        let folder = StoreFixtures.folder()
        let database = folder + "/store.sqlite"
        let store = try SQLiteSessionStore(path: database)
        var ids: [SessionID] = []
        for seed in 1...3 {
            ids.append(try StoreFixtures.ingest(store).ingestFile(path: try StoreFixtures.csv(in: folder, durationS: 30, seed: UInt64(seed))).id)
        }
        // An interrupted run had finished the first session (and left a torn line).
        try Data("\(ids[0])\n\(ids[1])".utf8).write(to: URL(fileURLWithPath: database + ".reanalysis"))
        let run = try runProcess(Products.gait, ["reanalyze", "--database", database, "--no-progress"], timeoutS: 120)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("resuming an interrupted re-analysis: 1 session(s) already done"), "\(run.standardError)")
        #expect(run.standardOutput.contains("re-analysed 2 session(s)"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("sessions/s"))
        #expect(run.standardOutput.contains("1 done before"))
        #expect(!FileManager.default.fileExists(atPath: database + ".reanalysis"))
    }
}
