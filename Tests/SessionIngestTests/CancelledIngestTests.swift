import Foundation
import SessionIngest
import SessionIO
import SessionStore
import Testing

/// An import asked to stop stops at the next block and stores nothing, whatever the file's length
/// (issue 13: gaitd ignored SIGTERM for over 40 s while it read a file).
@Suite struct CancelledIngestTests {
    /// A flag the test sets after `polls` polls, as gaitd's shutdown does from another thread.
    final class PollCounter: @unchecked Sendable {
        let lock = NSLock()
        var polls = 0
        let stopAfter: Int
        init(stopAfter: Int) { self.stopAfter = stopAfter }
        func poll() -> Bool { lock.withLock { polls += 1; return polls > stopAfter } }
    }

    @Test(arguments: ["csv", "bsession"], [false, true])
    func anImportAskedToStopStopsAtTheNextPieceAndStoresNothing(kind: String, whileReadingSamples: Bool) throws {
        let folder = StoreFixtures.folder()
        let store = try SQLiteSessionStore(path: folder + "/store.sqlite")
        let path = kind == "csv" ? try StoreFixtures.csv(in: folder, durationS: 1_800)
                                 : StoreFixtures.clipSession(in: folder, durationS: 600)
        // The content hash polls once per MiB read (and at the end of the file), then the reader once per block.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let hashPolls = (size + (1 << 20) - 1) / (1 << 20) + 1
        let counter = PollCounter(stopAfter: whileReadingSamples ? hashPolls + 1 : 1)
        do {
            _ = try StoreFixtures.ingest(store).ingestFile(path: path, isCancelled: { counter.poll() })
            Issue.record("the import ran to the end")
        } catch {
            guard case .unreadable(.cancelled(path: path)) = error else {
                Issue.record("expected cancelled, got \(error)")
                return
            }
        }
        // Stopped at the first poll after the flag was set: the rest of the file was never read.
        // (Wall time is `GaitdInboxShutdownTests`' concern.)
        #expect(counter.polls == counter.stopAfter + 1)
        #expect(try store.allSessionIDs().isEmpty)
        // Not stopped, the same file is stored whole.
        _ = try StoreFixtures.ingest(store).ingestFile(path: path, isCancelled: { false })
        #expect(try store.allSessionIDs().count == 1)
    }
}
