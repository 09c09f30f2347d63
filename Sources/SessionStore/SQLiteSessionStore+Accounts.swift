import Foundation
import GRDB

/// Accounts, access grants and login sessions for the web pages and API (GaitServer).
extension SQLiteSessionStore {
    /// Adds an account; the username is stored normalised (`AccountName.normalised`) and must be
    /// new and unlike every existing one (`AccountName.skeleton`): 1–64 letters, digits, '.', '_', '-' or '@'.
    public func addAccount(_ account: AccountRecord) throws -> AccountRecord {
        let name = try AccountName.checkedName(of: account)
        let skeleton = AccountName.skeleton(name)
        return try wrap("adding account \(name)") {
            try database.write { db in
                if try AccountRecord.filter(Column("username") == name).fetchCount(db) > 0 {
                    throw SessionStoreError.invalidValue(field: "username", reason: "'\(name)' is taken")
                }
                if try AccountRecord.filter(Column("usernameSkeleton") == skeleton).fetchCount(db) > 0 {
                    throw SessionStoreError.invalidValue(field: "username", reason: "'\(name)' looks too like an existing username (letters from other scripts that read as Latin ones)")
                }
                var account = account
                account.username = name
                account.usernameSkeleton = skeleton
                try account.insert(db)
                return account
            }
        }
    }

    /// The account with this username (compared normalised), or nil.
    public func account(username: String) throws -> AccountRecord? {
        let name = AccountName.normalised(username)
        return try wrap("reading account \(name)") {
            try database.read { db in
                // The exact spelling second: a name left unnormalised by migration v11 (a clash).
                try AccountRecord.filter(Column("username") == name).fetchOne(db)
                    ?? AccountRecord.filter(Column("username") == username).fetchOne(db)
            }
        }
    }

    /// Every account, by username.
    public func accounts() throws -> [AccountRecord] {
        try wrap("listing accounts") { try database.read { try AccountRecord.order(Column("username")).fetchAll($0) } }
    }

    /// The account with this id, or nil.
    public func account(id: Int64) throws -> AccountRecord? {
        try wrap("reading account \(id)") { try database.read { try AccountRecord.fetchOne($0, key: id) } }
    }

    /// Lets a physiotherapist see a runner's sessions (idempotent).
    public func grant(runnerID: Int64, physioAccountID: Int64) throws {
        try wrap("granting access to runner \(runnerID)") {
            try database.write { db in
                guard let physio = try AccountRecord.fetchOne(db, key: physioAccountID), physio.role == .physio else {
                    throw SessionStoreError.invalidValue(field: "physiotherapist", reason: "no physiotherapist account with id \(physioAccountID)")
                }
                try AccessGrantRecord(runnerId: runnerID, physioAccountId: physioAccountID).insert(db, onConflict: .ignore)
            }
        }
    }

    /// Withdraws a physiotherapist's access to a runner.
    public func revoke(runnerID: Int64, physioAccountID: Int64) throws {
        try wrap("revoking access to runner \(runnerID)") {
            try database.write { db in
                _ = try AccessGrantRecord.filter(Column("runnerId") == runnerID && Column("physioAccountId") == physioAccountID).deleteAll(db)
            }
        }
    }

    /// The runners an account may see: its own runner, or the runners who granted a physiotherapist access.
    public func visibleRunnerIDs(accountID: Int64) throws -> Set<Int64> {
        try wrap("reading the access of account \(accountID)") {
            try database.read { db in
                guard let account = try AccountRecord.fetchOne(db, key: accountID) else { return [] }
                switch account.role {
                case .runner: return Set([account.runnerId].compactMap { $0 })
                case .physio:
                    return Set(try Int64.fetchAll(db, sql: "SELECT runnerId FROM accessGrant WHERE physioAccountId = ?", arguments: [accountID]))
                case .admin:
                    return Set(try Int64.fetchAll(db, sql: "SELECT id FROM runner"))
                }
            }
        }
    }

    /// The physiotherapists a runner granted access to.
    public func grantedPhysios(runnerID: Int64) throws -> [AccountRecord] {
        try wrap("reading the grants of runner \(runnerID)") {
            try database.read { db in
                try AccountRecord.fetchAll(db, sql: """
                    SELECT account.* FROM account JOIN accessGrant ON accessGrant.physioAccountId = account.id
                    WHERE accessGrant.runnerId = ? ORDER BY account.username
                    """, arguments: [runnerID])
            }
        }
    }

    /// Stores a new login session (expired ones are removed on the way).
    public func addLoginSession(_ session: LoginSessionRecord) throws {
        try wrap("starting a login session") {
            try database.write { db in
                _ = try LoginSessionRecord.filter(Column("expiresAt") < Date()).deleteAll(db)
                try session.insert(db)
            }
        }
    }

    /// The login session with this token hash if it has not expired at `now`, with its account.
    public func loginSession(tokenHash: String, now: Date) throws -> (session: LoginSessionRecord, account: AccountRecord)? {
        try wrap("reading a login session") {
            try database.read { db in
                guard let session = try LoginSessionRecord.fetchOne(db, key: tokenHash), session.expiresAt > now,
                      let account = try AccountRecord.fetchOne(db, key: session.accountId), account.disabledAt == nil else { return nil }
                return (session, account)
            }
        }
    }

    /// Ends a login session (logout).
    public func removeLoginSession(tokenHash: String) throws {
        try wrap("ending a login session") { try database.write { db in _ = try LoginSessionRecord.deleteOne(db, key: tokenHash) } }
    }

    /// Replaces an account's password hash and ends every login session of the account except
    /// the one with `keepingTokenHash` (the one that changed it), in one transaction.
    public func changePasswordHash(accountID: Int64, passwordHash: String, keepingTokenHash: String?) throws {
        try wrap("changing the password of account \(accountID)") {
            try database.write { db in
                guard var account = try AccountRecord.fetchOne(db, key: accountID) else {
                    throw SessionStoreError.invalidValue(field: "account", reason: "no account with id \(accountID)")
                }
                account.passwordHash = passwordHash
                try account.update(db)
                _ = try LoginSessionRecord.filter(Column("accountId") == accountID && Column("tokenHash") != keepingTokenHash).deleteAll(db)
            }
        }
    }

    public func setAccountDisabled(accountID: Int64, disabled: Bool, at: Date) throws {
        try wrap("\(disabled ? "disabling" : "enabling") account \(accountID)") {
            try database.write { db in
                guard var account = try AccountRecord.fetchOne(db, key: accountID) else {
                    throw SessionStoreError.invalidValue(field: "account", reason: "no account with id \(accountID)")
                }
                account.disabledAt = disabled ? (account.disabledAt ?? at) : nil
                try account.update(db)
                if disabled { _ = try LoginSessionRecord.filter(Column("accountId") == accountID).deleteAll(db) }
            }
        }
    }

    /// Ends every login session (browser logins and API tokens) of an account; returns how many.
    @discardableResult
    public func removeLoginSessions(accountID: Int64) throws -> Int {
        try wrap("ending the login sessions of account \(accountID)") {
            try database.write { db in try LoginSessionRecord.filter(Column("accountId") == accountID).deleteAll(db) }
        }
    }

    /// The runner with this id, or nil.
    public func runner(id: Int64) throws -> RunnerRecord? {
        try wrap("reading runner \(id)") { try database.read { try RunnerRecord.fetchOne($0, key: id) } }
    }

    /// Sessions of the runner, newest first, with start, duration and step count for listings.
    public func sessions(runnerID: Int64) throws -> [SessionRecord] {
        try wrap("listing the sessions of runner \(runnerID)") {
            try database.read { db in
                try SessionRecord.filter(Column("runnerId") == runnerID)
                    .order(Column("startedAt").desc, Column("id").desc).fetchAll(db)
            }
        }
    }
}

/// The audit log: who looked at a runner's data.
extension SQLiteSessionStore {
    public func recordView(_ view: DataViewRecord) throws {
        try wrap("recording a view of runner \(view.runnerId)") {
            try database.write { db in
                var view = view
                try view.insert(db)
            }
        }
    }

    public func views(runnerID: Int64, limit: Int) throws -> [DataViewRecord] {
        try wrap("reading the views of runner \(runnerID)") {
            try database.read { db in
                try DataViewRecord.filter(Column("runnerId") == runnerID)
                    .order(Column("at").desc, Column("id").desc).limit(max(0, limit)).fetchAll(db)
            }
        }
    }

    public func lastViews(accountID: Int64) throws -> [Int64: Date] {
        try wrap("reading the last views of account \(accountID)") {
            try database.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT runnerId, MAX(at) AS last FROM auditLog WHERE accountId = ? GROUP BY runnerId",
                                            arguments: [accountID])
                return Dictionary(rows.compactMap { row -> (Int64, Date)? in
                    guard let runner: Int64 = row["runnerId"], let last: Date = row["last"] else { return nil }
                    return (runner, last)
                }, uniquingKeysWith: max)
            }
        }
    }
}
