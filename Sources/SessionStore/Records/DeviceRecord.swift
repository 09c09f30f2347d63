import Foundation
import GRDB

/// A runner's gaitd paired with this clinic's server (table `device`): it pushes the runner's
/// sessions with its device token, of which only the SHA-256 is stored. The runner (or anyone who
/// may see them) revokes it from the web.
public struct DeviceRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "device"
    /// Row id; nil before insertion.
    public var id: Int64?
    /// The runner whose sessions it pushes.
    public var runnerId: Int64
    /// The name the device gave itself when it paired ("Ana's laptop"), at most 100 characters.
    public var name: String
    /// SHA-256 (hex) of the device token (unique).
    public var tokenHash: String
    public var createdAt: Date
    /// After this the token is refused (the device pairs again).
    public var expiresAt: Date
    /// When it was revoked; nil: in use.
    public var revokedAt: Date?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let runnerId = Column(CodingKeys.runnerId)
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }

    /// Creates a device record.
    public init(id: Int64? = nil, runnerId: Int64, name: String, tokenHash: String, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.runnerId = runnerId
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
