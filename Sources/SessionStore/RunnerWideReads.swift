import Foundation
import GaitInference

/// Reads of all of one runner's sessions at once, for a store that can make each of them one
/// query: a runner's report and the dashboard row need the flags and pain of every run, and a
/// query per session costs a round trip each on a database server (200 runs: 400 round trips).
/// The PostgreSQL store has them; callers fall back to the per-session methods of `SessionStore`
/// for a store without them (SQLite, in the same process, pays no round trips).
public protocol RunnerWideReads: SessionStore {
    /// The stored flags of every session of the runner that has any, by session, each as
    /// `storedFlags(sessionID:)` returns them.
    func storedFlags(runnerID: Int64) throws -> [SessionID: [GaitFlag]]

    /// The pain log of every session of the runner that has entries, by session, each as
    /// `painLog(sessionID:)` returns it.
    func painLogs(runnerID: Int64) throws -> [SessionID: [PainLogEntry]]

    /// When each of the runner's sessions arrived in the store (`SessionRecord.importedAt`), in
    /// the order of `sessions(runnerID:)`, without reading the rest of the records.
    func arrivals(runnerID: Int64) throws -> [Date]
}
