import Foundation
import GaitInference
import GaitReport
import SessionStore

/// Gathers from the store the values a report renders (GaitReport knows no store): the pages,
/// the API and `gait report` all make their reports here.
public enum StoredReports {
    /// Why a stored report could not be made.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The session is stored but has no analysis yet.
        case sessionNotAnalysed(SessionID)

        public var description: String {
            switch self {
            case .sessionNotAnalysed(let id): "session \(id) has no analysis yet (gait reanalyze analyses stored sessions)"
            }
        }
    }

    /// The report of a stored session: its analysis, its stored flags (as computed against the
    /// runner's history), runner, shoe, start and pain log. Nil when the store has no such
    /// session; throws `Failure.sessionNotAnalysed` when it has not been analysed.
    public static func session(_ sessionID: SessionID, in store: any SessionStore) throws -> SessionReport? {
        guard let session = try store.session(id: sessionID) else { return nil }
        guard let document = try store.storedDocument(sessionID: sessionID) else { throw Failure.sessionNotAnalysed(sessionID) }
        let shoe = try session.shoeId.flatMap { try store.shoeInfo(shoeID: $0) }
        let runnerName = try session.runnerId.flatMap { try store.runner(id: $0)?.name }
        return SessionReport(document: document, metadata: SessionReportMetadata(
            sessionID: sessionID, runnerName: runnerName, startedAt: session.startedAt, timeZone: session.timeZone,
            shoeName: shoe?.name, painLog: try notes(store.painLog(sessionID: sessionID), store: store),
            alert: try session.runnerId.flatMap { try store.redFlagAlert(runnerID: $0)?.message }))
    }

    /// The report of a stored runner: their sessions' facts, shoes, stored flags and pain logs.
    /// Nil when the store has no runner with this id.
    public static func runner(_ runnerID: Int64, in store: any SessionStore) throws -> RunnerReport? {
        guard let runner = try store.runner(id: runnerID) else { return nil }
        let history = try store.history(runnerID: runnerID)
        let shoes = try store.shoes(runnerID: runnerID).compactMap { record in try record.id.flatMap { try store.shoeInfo(shoeID: $0) } }
        // The whole runner at once (a database server: 2 round trips, not 2 per run).
        let allFlags = try store.storedFlags(runnerID: runnerID), allPain = try store.painLogs(runnerID: runnerID)
        var flags: [String: [GaitFlag]] = [:], pain: [String: [PainNote]] = [:]
        for facts in history {
            guard let id = SessionID(facts.sessionKey) else { continue }
            flags[facts.sessionKey] = allFlags[id] ?? []
            pain[facts.sessionKey] = try notes(allPain[id] ?? [], store: store)
        }
        var report = RunnerReport(runnerName: runner.name, runnerID: runnerID, history: history, shoes: shoes, flags: flags, painLog: pain)
        report.alert = try store.redFlagAlert(runnerID: runnerID)?.message
        return report
    }

    /// A stored log entry as the reports show it; a note by anyone but the runner (a
    /// physiotherapist's) says whose it is: "Note by pia (physiotherapist): …".
    public static func painNote(_ entry: PainLogEntry, author: AccountRecord? = nil) -> PainNote {
        var note = entry.note
        if let author, author.role != .runner, let text = note { note = "Note by \(author.username) (\(HTML.roleName(author.role))): \(text)" }
        return PainNote(score: entry.painScore, location: entry.location, atS: entry.atS, note: note, recordedAt: entry.recordedAt)
    }

    /// The log's entries as the reports show them, with their authors (read once).
    static func notes(_ entries: [PainLogEntry], store: any SessionStore) throws -> [PainNote] {
        guard entries.contains(where: { $0.authorAccountId != nil }) else { return entries.map { painNote($0) } }
        let authors = try APIController.accountsByID(store)
        return entries.map { painNote($0, author: $0.authorAccountId.flatMap { authors[$0] }) }
    }
}
