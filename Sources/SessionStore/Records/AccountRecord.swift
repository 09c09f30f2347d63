import Foundation
import GRDB

/// Who may use the web pages and API (table `account`): a runner (sees their own sessions), a
/// physiotherapist (sees the runners who granted access) or an administrator (sees everything).
public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "account"

    /// What an account may see.
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// A runner: their own sessions.
        case runner
        /// A physiotherapist: the runners who granted them access.
        case physio
        /// An administrator (the clinic's or the household's): every runner, the sessions nobody
        /// has been given yet, and the clips (assigns them, moves a clip between runners).
        case admin
    }

    /// Row id; nil before insertion.
    public var id: Int64?
    /// Login name, unique.
    public var username: String
    /// Runner or physiotherapist.
    public var role: Role
    /// The password's hash (bcrypt, computed by the server; never the password).
    public var passwordHash: String
    /// For a runner account, the runner whose sessions it owns.
    public var runnerId: Int64?
    /// When it was created.
    public var createdAt: Date
    /// `AccountName.skeleton` of the username (set by the store): look-alike names share it.
    public var usernameSkeleton: String?
    /// When an administrator disabled it; nil while it may log in.
    public var disabledAt: Date?

    /// Creates an account record.
    public init(id: Int64? = nil, username: String, role: Role, passwordHash: String, runnerId: Int64? = nil, createdAt: Date = Date()) {
        self.id = id
        self.username = username
        self.role = role
        self.passwordHash = passwordHash
        self.runnerId = runnerId
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A runner's permission for a physiotherapist to see their sessions (table `accessGrant`).
public struct AccessGrantRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "accessGrant"
    /// The runner who granted access.
    public var runnerId: Int64
    /// The physiotherapist's account.
    public var physioAccountId: Int64
    /// When.
    public var grantedAt: Date

    /// Creates a grant.
    public init(runnerId: Int64, physioAccountId: Int64, grantedAt: Date = Date()) {
        self.runnerId = runnerId
        self.physioAccountId = physioAccountId
        self.grantedAt = grantedAt
    }
}

/// A logged-in session of an account (table `loginSession`): the SHA-256 of its token, its
/// CSRF token for forms, and when it expires.
public struct LoginSessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "loginSession"
    /// SHA-256 (hex) of the session token the client holds; the token itself is never stored.
    public var tokenHash: String
    /// The account.
    public var accountId: Int64
    /// The token forms must carry (synchroniser token pattern).
    public var csrfToken: String
    /// When it was created.
    public var createdAt: Date
    /// When it stops being valid.
    public var expiresAt: Date

    /// Creates a login session.
    public init(tokenHash: String, accountId: Int64, csrfToken: String, createdAt: Date = Date(), expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountId = accountId
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
