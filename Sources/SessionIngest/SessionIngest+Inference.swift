import Foundation
import GaitDSP
import GaitInference
import SessionIO
import SessionStore

/// Flags: computed against the runner's history, stored with the facts later sessions read.
extension SessionIngest {
    /// The flags and facts of an analysis in a context.
    func infer(_ analysis: GaitAnalysis, context: InferenceContext) throws -> SessionInference {
        let flags = GaitInferenceEngine.flags(for: analysis, context: context)
        return SessionInference(flags: flags, facts: GaitInferenceEngine.facts(of: analysis, context: context, flags: flags))
    }

    /// The context of a session about to be stored: its runner's stored sessions, its shoes.
    func newSessionContext(_ draft: SessionDraft) throws -> InferenceContext {
        let history = try draft.runnerID.map { try store.history(runnerID: $0) } ?? []
        let shoe = try draft.shoeID.flatMap { try store.shoeInfo(shoeID: $0) }
        return InferenceContext(sessionKey: "new", startedAt: draft.startedAt, shoe: shoe, distanceKm: draft.distanceKm,
                                painScore: nil, history: history, speed: draft.speed)
    }

    /// Recomputes and stores one session's flags; returns them.
    @discardableResult
    public func reinfer(sessionID: SessionID) throws(SessionIngestError) -> [GaitFlag] {
        try storeCall {
            guard let (analysis, context) = try store.inferenceContext(sessionID: sessionID) else { return [] }
            let inference = try infer(analysis, context: context)
            try store.replaceInference(sessionID: sessionID, inference: inference)
            return inference.flags
        }
    }

    /// Recomputes the flags of a runner's sessions in start order (so each sees the flags before
    /// it): all of them, or only those after `after` when given. A session that fails is logged
    /// with its id and left pending; the rest go on. Returns how many were recomputed.
    @discardableResult
    public func reinferRunner(runnerID: Int64, after: SessionID? = nil, including: Bool = false) -> Int {
        let ids: [SessionID]
        do {
            ids = try store.sessionIDsInStartOrder(runnerID: runnerID)
        } catch {
            logger.error("runner \(runnerID): cannot list the sessions to recompute flags for: \(error); retried at the next start")
            return 0
        }
        var todo = ids[...]
        if let after, let index = ids.firstIndex(of: after) { todo = ids[(including ? index : index + 1)...] }
        var count = 0
        for id in todo {
            do {
                try reinfer(sessionID: id)
                count += 1
            } catch {
                logger.error("session \(id): flags not computed: \(error); retried at the next start", metadata: ["session": "\(id)"])
            }
        }
        return count
    }

    /// Adds a pain entry and recomputes the runner's flags (the pain link reads the log); returns the entry.
    public func logPain(_ entry: PainLogEntry) throws(SessionIngestError) -> PainLogEntry {
        let (stored, session) = try storeCall { () throws -> (PainLogEntry, SessionRecord?) in
            guard let session = try store.session(id: entry.sessionId) else { throw SessionStoreError.noSuchSession(id: entry.sessionId) }
            return (try store.addPain(entry), session)
        }
        if let runnerID = session?.runnerId {
            reinferRunner(runnerID: runnerID)
        } else {
            do { try reinfer(sessionID: entry.sessionId) } catch {
                logger.error("session \(entry.sessionId): flags not computed: \(error); retried at the next start")
            }
        }
        return stored
    }

    /// Pairs a stored session with the runner's watch file (FIT, GPX or TCX): aligned by clock and
    /// cadence, or refused when it does not match; then the session's flags, and the runner's
    /// later ones, are recomputed with speed and slope. The watch's distance fills a missing one.
    @discardableResult
    public func pairWatch(sessionID: SessionID, path: String, name: String? = nil) throws(SessionIngestError) -> SessionSpeed {
        let stored = try storedForPairing(sessionID)
        return try pairWatch(stored, track: Self.readWatch(path: path), sourceName: name ?? Self.lastComponent(path))
    }

    /// A stored session and its analysis, for pairing with a watch file.
    func storedForPairing(_ sessionID: SessionID) throws(SessionIngestError) -> (session: SessionRecord, analysis: GaitAnalysis) {
        try storeCall { () throws -> (SessionRecord, GaitAnalysis) in
            guard let session = try store.session(id: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
            guard let analysis = try store.analysis(id: sessionID) else {
                throw SessionStoreError.invalidValue(field: "session", reason: "session \(sessionID) has no analysis yet")
            }
            return (session, analysis)
        }
    }

    /// Aligns a watch track already read to a stored session, stores the pairing and recomputes the flags.
    @discardableResult
    func pairWatch(_ stored: (session: SessionRecord, analysis: GaitAnalysis), track: WatchTrack, sourceName: String) throws(SessionIngestError) -> SessionSpeed {
        let (session, analysis) = stored
        let sessionID = session.id!
        let speed = try Self.align(track, sourceName: sourceName, analysis: analysis, sessionStartUTC: session.startedAt?.timeIntervalSince1970)
        try storeCall {
            try store.setSessionSpeed(sessionID: sessionID, speed: speed)
            if session.distanceKm == nil, let km = speed.distanceKm {
                try store.assign(sessionID: sessionID, runnerID: nil, shoeID: nil, distanceKm: km, startedAt: nil)
            }
        }
        try reinfer(sessionID: sessionID)
        if let runner = session.runnerId { reinferRunner(runnerID: runner, after: sessionID) }
        return speed
    }

    /// What became of a watch file that arrived on its own (gaitd's inbox).
    public enum WatchFileOutcome: Sendable, Equatable {
        /// Paired with this session.
        case paired(SessionID)
        /// No stored session overlaps it in time yet (its clip may not have been synced).
        case noSessionYet
    }

    /// Pairs a watch file that arrived on its own with the stored session it overlaps in time (at
    /// least half of the session covered), newest first; a session that refuses it (cadences that
    /// disagree) is skipped. Throws when the file cannot be read, or when every overlapping
    /// session refused it (the last refusal).
    public func pairWatchFile(path: String, name: String? = nil) throws(SessionIngestError) -> WatchFileOutcome {
        // Read once: every overlapping session is tried with the same track.
        let track = try Self.readWatch(path: path)
        guard let first = track.startUTCS, let last = track.endUTCS else { return .noSessionYet }
        let rows = try storeCall { try store.sessions(limit: 500, filter: .all) }
        let candidates = rows.filter { row in
            guard let start = row.startedAt?.timeIntervalSince1970 else { return false }
            return start < last && start + row.durationS > first
                && WatchPairing.pairable(track: track, sessionStartUTC: start, sessionDurationS: row.durationS)
        }
        var lastRefusal: SessionIngestError?
        for row in candidates {
            do {
                try pairWatch(storedForPairing(row.id), track: track, sourceName: name ?? Self.lastComponent(path))
                return .paired(row.id)
            } catch {
                lastRefusal = error
            }
        }
        if let lastRefusal { throw lastRefusal }
        return .noSessionYet
    }

    /// The runner's new current shoes (added to their shoes when new, with the distance already
    /// run in them): sessions stored from now on get them. Returns the shoes.
    @discardableResult
    public func useShoe(runnerID: Int64, name: String, distanceSoFarKm: Double? = nil) throws(SessionIngestError) -> ShoeRecord {
        try storeCall { () throws -> ShoeRecord in
            guard try store.runner(id: runnerID) != nil else { throw SessionStoreError.noSuchRunner("\(runnerID)") }
            guard let shoe = try store.shoe(named: name, runnerID: runnerID, create: true, distanceSoFarKm: distanceSoFarKm) else {
                throw SessionStoreError.invalidValue(field: "shoe", reason: "'\(name)' cannot be added")
            }
            try store.setCurrentShoe(runnerID: runnerID, shoeID: shoe.id)
            return shoe
        }
    }

    /// Gives a session to a runner and/or shoes (by name; nil leaves it), then recomputes the flags
    /// of that session and of the runner's later ones, and of the runner it was taken from.
    public func assign(sessionID: SessionID, runner runnerName: String?, shoe shoeName: String?, distanceKm: Double? = nil,
                       startedAt: Date? = nil) throws(SessionIngestError) {
        let (before, runnerID) = try storeCall { () throws -> (SessionRecord, Int64?) in
            guard let session = try store.session(id: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
            var runnerID = session.runnerId
            if let runnerName {
                guard let runner = try store.runner(named: runnerName, create: false) else { throw SessionStoreError.noSuchRunner(runnerName) }
                runnerID = runner.id
            }
            var shoeID: Int64?
            if let shoeName {
                guard let runnerID else {
                    throw SessionStoreError.invalidValue(field: "shoe", reason: "session \(sessionID) has no runner: assign it to a runner first")
                }
                guard let shoe = try store.shoe(named: shoeName, runnerID: runnerID, create: false, distanceSoFarKm: nil) else {
                    let name = try store.runner(id: runnerID)?.name ?? "the runner"
                    throw SessionStoreError.noSuchShoe(name: shoeName, runner: name)
                }
                shoeID = shoe.id
            } else if runnerID != session.runnerId, let runnerID {
                // A session given to a runner gets their current shoes unless told otherwise.
                shoeID = try store.runner(id: runnerID)?.currentShoeId
            }
            try store.assign(sessionID: sessionID, runnerID: runnerID, shoeID: shoeID, distanceKm: distanceKm, startedAt: startedAt)
            return (session, runnerID)
        }
        if let runnerID {
            reinferRunner(runnerID: runnerID, after: sessionID, including: true)
        }
        if let previous = before.runnerId, previous != runnerID {
            reinferRunner(runnerID: previous, after: sessionID)
        }
    }
}
