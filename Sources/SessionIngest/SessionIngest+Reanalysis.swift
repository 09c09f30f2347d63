import Dispatch
import Foundation
import GaitDSP
import SessionStore

/// Re-analysis: the stored raw samples are the source of truth, so a newer engine can recompute
/// every analysis, and then every flag.
extension SessionIngest {
    /// What `reanalyzeAll` did.
    public struct ReanalysisReport: Sendable, Equatable {
        /// Sessions re-analysed.
        public var sessionCount: Int
        /// Of those, sessions whose analysis changed.
        public var changedCount: Int
        /// Sessions that could not be re-analysed, with the reason.
        public var failures: [String]
        /// Sessions left as they were: done by an earlier, interrupted run (`skipping`).
        public var skippedCount: Int = 0
        /// Whether `shouldStop` ended the run before every session was done (flags not recomputed).
        public var interrupted: Bool = false

        public init(sessionCount: Int, changedCount: Int, failures: [String], skippedCount: Int = 0, interrupted: Bool = false) {
            self.sessionCount = sessionCount
            self.changedCount = changedCount
            self.failures = failures
            self.skippedCount = skippedCount
            self.interrupted = interrupted
        }
    }

    /// The analysis the current engine gives for a session's stored raw samples (nothing is stored).
    public func analyzeStoredSamples(sessionID: SessionID) throws(SessionIngestError) -> GaitAnalysis {
        try storeCall {
            guard let session = try store.session(id: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
            let readerInput = try JSONDecoder().decode(InputDescription.self, from: Data(session.readerInputJSON.utf8))
            var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: session.configuredSampleRateHz))
            var reader = try store.rawSamples(id: sessionID)
            while let block = try reader.next() { engine.process(block) }
            return engine.finish(input: readerInput)
        }
    }

    /// Recomputes one session's analysis from its raw samples and stores it; returns whether it changed.
    @discardableResult
    public func reanalyze(sessionID: SessionID) throws(SessionIngestError) -> Bool {
        let analysis = try analyzeStoredSamples(sessionID: sessionID)
        return try storeCall { try store.replaceAnalysis(sessionID: sessionID, analysis: analysis) }
    }

    /// Recomputes every session's analysis on all cores (each streams its chunks through its own
    /// engine: bounded memory), then every flag (each runner's sessions in start order, then the
    /// sessions of no runner). `progress(done, total)` is called after each session, from any thread.
    ///
    /// Resumable: sessions in `skipping` (done by an interrupted run) are left as they are,
    /// `completed` hears of each session once its new analysis is stored, and once `shouldStop`
    /// answers true no further session starts: the run returns `interrupted`, without recomputing
    /// flags, and a later run given the completed ids goes on from there.
    public func reanalyzeAll(skipping: Set<SessionID> = [], completed: (@Sendable (SessionID) -> Void)? = nil,
                             shouldStop: (@Sendable () -> Bool)? = nil,
                             progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) throws(SessionIngestError) -> ReanalysisReport {
        let ids = try storeCall { try store.allSessionIDs() }.filter { !skipping.contains($0) }
        let tally = Tally()
        let stopped = StopLatch()
        DispatchQueue.concurrentPerform(iterations: ids.count) { index in
            if stopped.isSet || shouldStop?() == true {
                stopped.set()
                return
            }
            let id = ids[index]
            do {
                tally.record(changed: try reanalyze(sessionID: id), failure: nil)
                completed?(id)
            } catch {
                tally.record(changed: false, failure: "session \(id): \(error)")
            }
            progress?(tally.done, ids.count)
        }
        var report = tally.report
        report.skippedCount = skipping.count
        report.interrupted = stopped.isSet
        if !stopped.isSet { reinferAll() }
        return report
    }

    /// Recomputes the flags of every session: each runner's in start order, then the rest.
    public func reinferAll() {
        do {
            for runner in try store.runners() {
                if let id = runner.id { reinferRunner(runnerID: id) }
            }
            for row in try store.sessions(limit: Int.max, filter: .unassigned) {
                do { try reinfer(sessionID: row.id) } catch {
                    logger.error("session \(row.id): flags not computed: \(error); retried at the next start", metadata: ["session": "\(row.id)"])
                }
            }
        } catch {
            logger.error("cannot list the sessions to recompute flags for: \(error); retried at the next start")
        }
    }
}

/// Set once, read from any thread: the re-analysis was asked to stop.
private final class StopLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Counts finished re-analyses across the worker threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var doneCount = 0
    private var changedCount = 0
    private var failures: [String] = []

    func record(changed: Bool, failure: String?) {
        lock.withLock {
            doneCount += 1
            if changed { changedCount += 1 }
            if let failure { failures.append(failure) }
        }
    }

    var done: Int { lock.withLock { doneCount } }

    var report: SessionIngest.ReanalysisReport {
        lock.withLock { SessionIngest.ReanalysisReport(sessionCount: doneCount - failures.count, changedCount: changedCount, failures: failures) }
    }
}
