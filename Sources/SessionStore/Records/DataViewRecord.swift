import Foundation
import GRDB

/// One look at a runner's data by someone else (table `auditLog`): the runner reads these on
/// "Who looked at my data", and a physiotherapist's dashboard tells what changed since their last.
public struct DataViewRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditLog"
    public var id: Int64?
    /// When it was looked at.
    public var at: Date
    /// Who looked (nil once the account is removed; `username` and `role` stay as they were).
    public var accountId: Int64?
    public var username: String
    public var role: String
    /// Whose data it was.
    public var runnerId: Int64
    /// The session, when one was looked at.
    public var sessionId: Int64?
    /// What was looked at, in words: "runner page", "session report (CSV)", "session document (API)".
    public var what: String

    /// Creates a record.
    public init(id: Int64? = nil, at: Date = Date(), accountId: Int64?, username: String, role: String, runnerId: Int64,
                sessionId: Int64? = nil, what: String) {
        self.id = id
        self.at = at
        self.accountId = accountId
        self.username = username
        self.role = role
        self.runnerId = runnerId
        self.sessionId = sessionId
        self.what = what
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
