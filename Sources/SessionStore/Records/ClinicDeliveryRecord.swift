import Foundation
import GRDB

/// What the runner's gaitd knows of pushing one of its sessions to a clinic (table
/// `clinicDelivery`): attempts, the last error, and once delivered the clinic's id for it.
/// A session of the store without a row (or with one neither delivered nor refused, or delivered
/// before its newest pain entry was written) is pending.
public struct ClinicDeliveryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "clinicDelivery"
    /// The clinic's base URL as paired ("https://clinic.example/").
    public var clinic: String
    /// The session in this store.
    public var sessionId: Int64
    /// The clinic's id for the session, once delivered.
    public var clinicSessionId: Int64?
    /// Attempts so far (each push that failed or succeeded).
    public var attempts: Int
    /// Why the last attempt failed; nil after a delivery.
    public var lastError: String?
    public var lastAttemptAt: Date?
    /// When the clinic confirmed it stored the session; nil: not yet.
    public var deliveredAt: Date?
    /// The clinic refused the session for good (it cannot read it, or it is too large): not retried.
    public var refused: Bool
    /// The id of the newest pain entry of the session when it was delivered (nil: none): a newer
    /// entry makes the session pending again.
    public var painLogMaxId: Int64?

    public enum Columns {
        public static let clinic = Column(CodingKeys.clinic)
        public static let sessionId = Column(CodingKeys.sessionId)
        public static let deliveredAt = Column(CodingKeys.deliveredAt)
        public static let refused = Column(CodingKeys.refused)
    }

    /// Creates a delivery record.
    public init(clinic: String, sessionId: Int64, clinicSessionId: Int64? = nil, attempts: Int = 0, lastError: String? = nil,
                lastAttemptAt: Date? = nil, deliveredAt: Date? = nil, refused: Bool = false, painLogMaxId: Int64? = nil) {
        self.painLogMaxId = painLogMaxId
        self.clinic = clinic
        self.sessionId = sessionId
        self.clinicSessionId = clinicSessionId
        self.attempts = attempts
        self.lastError = lastError
        self.lastAttemptAt = lastAttemptAt
        self.deliveredAt = deliveredAt
        self.refused = refused
    }
}
