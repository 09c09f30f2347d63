import Foundation
import GaitInference

/// Reads of all of one runner's sessions, session by session: right for a store in the same
/// process (SQLite pays no round trips). A database server's store answers each in one query
/// instead (`PostgresSessionStore`: a runner of 200 runs, 1 round trip, not 400).
extension SessionStore {
    public func storedFlags(runnerID: Int64) throws -> [SessionID: [GaitFlag]] {
        var flags: [SessionID: [GaitFlag]] = [:]
        for id in try sessions(runnerID: runnerID).compactMap(\.id) {
            let stored = try storedFlags(sessionID: id)
            if !stored.isEmpty { flags[id] = stored }
        }
        return flags
    }

    public func painLogs(runnerID: Int64) throws -> [SessionID: [PainLogEntry]] {
        var logs: [SessionID: [PainLogEntry]] = [:]
        for id in try sessions(runnerID: runnerID).compactMap(\.id) {
            let entries = try painLog(sessionID: id)
            if !entries.isEmpty { logs[id] = entries }
        }
        return logs
    }

    public func arrivals(runnerID: Int64) throws -> [Date] {
        try sessions(runnerID: runnerID).map(\.importedAt)
    }
}

/// How both stores read runners' revisions: each runner's stamp, or the shared one (runner 0:
/// writes about every runner, and the store's revision when the stamps began) when that is newer.
enum RunnerRevisions {
    static func combine(_ stamps: [Int64: Int64], _ runnerIDs: [Int64]) -> [Int64: Int64] {
        let shared = stamps[0] ?? 0
        return Dictionary(runnerIDs.map { ($0, max(stamps[$0] ?? 0, shared)) }, uniquingKeysWith: { first, _ in first })
    }
}
