import Foundation
import GaitDSP
import GaitInference
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
                                painScore: nil, history: history)
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
