import Foundation
import SessionStore

/// What the runner sees of the clinic push (`gait clinic status`): counts and the last error.
public struct ClinicDeliveryStatus: Sendable, Equatable {
    /// Sessions the clinic confirmed it stored.
    public var delivered: Int
    /// Sessions not delivered yet (new ones, and ones whose attempts failed).
    public var pending: Int
    /// Sessions the clinic refused for good.
    public var refused: Int
    /// The latest failed attempt still unresolved, with its session.
    public var lastError: (sessionID: SessionID, message: String)? {
        get { lastErrorSessionID.map { ($0, lastErrorMessage ?? "") } }
        set { lastErrorSessionID = newValue?.sessionID; lastErrorMessage = newValue?.message }
    }
    private var lastErrorSessionID: SessionID?
    private var lastErrorMessage: String?

    /// The status of the deliveries from `store` to `clinic` (a base URL as paired).
    public init(store: some SessionStore, clinic: String) throws {
        let records = try store.deliveries(clinic: clinic)
        let awaiting = try store.sessionsAwaitingDelivery(clinic: clinic)
        delivered = records.filter { $0.deliveredAt != nil }.count
        refused = records.filter { $0.refused && $0.deliveredAt == nil }.count
        pending = awaiting.count
        let failing = records.filter { $0.deliveredAt == nil && $0.lastError != nil }
            .max { ($0.lastAttemptAt ?? .distantPast) < ($1.lastAttemptAt ?? .distantPast) }
        lastErrorSessionID = failing?.sessionId
        lastErrorMessage = failing?.lastError
    }
}
