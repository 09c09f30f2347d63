import Foundation
import GRDB

/// A code that pairs a runner's gaitd with this clinic's server (table `pairingCode`): shown once
/// to the runner or their physiotherapist, single use, expiring. Only its SHA-256 is stored.
public struct PairingCodeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pairingCode"
    /// SHA-256 (hex) of the code as typed, normalised (upper case, no spaces or dashes).
    public var codeHash: String
    /// The runner whose sessions a device paired with it pushes.
    public var runnerId: Int64
    /// The account that asked for the code; nil when that account was removed.
    public var createdByAccountId: Int64?
    public var createdAt: Date
    /// After this the code pairs nothing.
    public var expiresAt: Date
    /// When a device was paired with it (then it pairs nothing more); nil: unused.
    public var usedAt: Date?

    public enum Columns {
        public static let codeHash = Column(CodingKeys.codeHash)
        public static let runnerId = Column(CodingKeys.runnerId)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let usedAt = Column(CodingKeys.usedAt)
    }

    /// Creates a pairing code record.
    public init(codeHash: String, runnerId: Int64, createdByAccountId: Int64?, createdAt: Date, expiresAt: Date, usedAt: Date? = nil) {
        self.codeHash = codeHash
        self.runnerId = runnerId
        self.createdByAccountId = createdByAccountId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// What redeeming a pairing code did.
public enum PairingRedemption: Sendable, Equatable {
    /// The device was added; its record with its id.
    case paired(DeviceRecord)
    /// No code has this hash.
    case unknownCode
    /// The code paired a device before.
    case alreadyUsed
    /// The code expired before it was used.
    case expired
}
