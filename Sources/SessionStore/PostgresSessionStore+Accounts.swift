import Foundation
import PostgresNIO

/// Accounts, access grants and login sessions for the web pages and API (GaitServer). Same
/// behaviour as `SQLiteSessionStore+Accounts`.
extension PostgresSessionStore {
    public func addAccount(_ account: AccountRecord) throws -> AccountRecord {
        let name = try AccountName.checkedName(of: account)
        let skeleton = AccountName.skeleton(name)
        let taken = SessionStoreError.invalidValue(field: "username", reason: "'\(name)' is taken")
        return try write("adding account \(name)") { sql in
            // New accounts are serialised (across servers too), so the look-alike check holds until
            // the commit: no unique key can say "looks like".
            try sql.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.accountLockKey))")
            if try sql.exists("SELECT 1 FROM account WHERE username = \(name)") { throw taken }
            if try sql.exists("SELECT 1 FROM account WHERE username_skeleton = \(skeleton)") {
                throw SessionStoreError.invalidValue(field: "username", reason: "'\(name)' looks too like an existing username (letters from other scripts that read as Latin ones)")
            }
            var account = account
            account.username = name
            account.usernameSkeleton = skeleton
            account.createdAt = PostgresSQL.stored(account.createdAt)
            do {
                account.id = try sql.value("""
                    INSERT INTO account (id, username, role, password_hash, runner_id, created_at, username_skeleton)
                    VALUES (COALESCE(\(account.id), nextval(pg_get_serial_sequence('account', 'id'))), \(name), \(account.role.rawValue),
                            \(account.passwordHash), \(account.runnerId), \(account.createdAt), \(skeleton))
                    RETURNING id
                    """, as: Int64.self)
            } catch where Self.sqlState(error) == "23505" && Self.reason(error).contains("account_username_key") {
                // Another server added the same name between the check and the insert.
                throw taken
            }
            return account
        }
    }

    public func account(username: String) throws -> AccountRecord? {
        let name = AccountName.normalised(username)
        return try read("reading account \(name)") { sql in
            // The exact spelling second: a name SQLite's migration v11 left unnormalised (a clash).
            try (sql.row("SELECT * FROM account WHERE username = \(name)") ?? sql.row("SELECT * FROM account WHERE username = \(username)"))
                .map(Self.accountRecord)
        }
    }

    public func accounts() throws -> [AccountRecord] {
        try read("listing accounts") { try $0.rows(#"SELECT * FROM account ORDER BY username COLLATE "C""#).map(Self.accountRecord) }
    }

    public func account(id: Int64) throws -> AccountRecord? {
        try read("reading account \(id)") { try $0.row("SELECT * FROM account WHERE id = \(id)").map(Self.accountRecord) }
    }

    public func grant(runnerID: Int64, physioAccountID: Int64) throws {
        try write("granting access to runner \(runnerID)") { sql in
            guard try sql.value("SELECT role FROM account WHERE id = \(physioAccountID)", as: String.self) == AccountRecord.Role.physio.rawValue else {
                throw SessionStoreError.invalidValue(field: "physiotherapist", reason: "no physiotherapist account with id \(physioAccountID)")
            }
            try sql.execute("""
                INSERT INTO access_grant (runner_id, physio_account_id, granted_at) VALUES (\(runnerID), \(physioAccountID), \(PostgresSQL.stored(Date())))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    public func revoke(runnerID: Int64, physioAccountID: Int64) throws {
        try write("revoking access to runner \(runnerID)") { sql in
            _ = try sql.execute("DELETE FROM access_grant WHERE runner_id = \(runnerID) AND physio_account_id = \(physioAccountID)")
        }
    }

    public func visibleRunnerIDs(accountID: Int64) throws -> Set<Int64> {
        try statements("reading the access of account \(accountID)") { sql in
            guard let account = try sql.row("SELECT * FROM account WHERE id = \(accountID)").map(Self.accountRecord) else { return [] }
            switch account.role {
            case .runner: return Set([account.runnerId].compactMap { $0 })
            case .physio: return Set(try sql.values("SELECT runner_id FROM access_grant WHERE physio_account_id = \(accountID)", as: Int64.self))
            case .admin: return Set(try sql.values("SELECT id FROM runner", as: Int64.self))
            }
        }
    }

    public func grantedPhysios(runnerID: Int64) throws -> [AccountRecord] {
        try read("reading the grants of runner \(runnerID)") { sql in
            try sql.rows("""
                SELECT a.* FROM account a JOIN access_grant g ON g.physio_account_id = a.id
                WHERE g.runner_id = \(runnerID) ORDER BY a.username COLLATE "C"
                """).map(Self.accountRecord)
        }
    }

    public func addLoginSession(_ session: LoginSessionRecord) throws {
        try write("starting a login session") { sql in
            try sql.execute("DELETE FROM login_session WHERE expires_at < \(PostgresSQL.stored(Date()))")
            try sql.execute("""
                INSERT INTO login_session (token_hash, account_id, csrf_token, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.accountId), \(session.csrfToken), \(PostgresSQL.stored(session.createdAt)),
                        \(PostgresSQL.stored(session.expiresAt)))
                """)
        }
    }

    public func loginSession(tokenHash: String, now: Date) throws -> (session: LoginSessionRecord, account: AccountRecord)? {
        try statements("reading a login session") { sql in
            guard let session = try sql.row("SELECT * FROM login_session WHERE token_hash = \(tokenHash)").map(Self.loginSessionRecord),
                  session.expiresAt > now,
                  let account = try sql.row("SELECT * FROM account WHERE id = \(session.accountId)").map(Self.accountRecord),
                  account.disabledAt == nil else { return nil }
            return (session, account)
        }
    }

    public func setAccountDisabled(accountID: Int64, disabled: Bool, at: Date) throws {
        try write("\(disabled ? "disabling" : "enabling") account \(accountID)") { sql in
            guard try sql.exists("SELECT 1 FROM account WHERE id = \(accountID) FOR UPDATE") else {
                throw SessionStoreError.invalidValue(field: "account", reason: "no account with id \(accountID)")
            }
            if disabled {
                try sql.execute("UPDATE account SET disabled_at = COALESCE(disabled_at, \(PostgresSQL.stored(at))) WHERE id = \(accountID)")
                try sql.execute("DELETE FROM login_session WHERE account_id = \(accountID)")
            } else {
                try sql.execute("UPDATE account SET disabled_at = NULL WHERE id = \(accountID)")
            }
        }
    }

    // MARK: Audit log

    public func recordView(_ view: DataViewRecord) throws {
        try statements("recording a view of runner \(view.runnerId)") { sql in
            try sql.execute("""
                INSERT INTO audit_log (at, account_id, username, role, runner_id, session_id, what)
                VALUES (\(PostgresSQL.stored(view.at)), \(view.accountId), \(view.username), \(view.role), \(view.runnerId), \(view.sessionId), \(view.what))
                """)
        }
    }

    public func views(runnerID: Int64, limit: Int) throws -> [DataViewRecord] {
        try read("reading the views of runner \(runnerID)") { sql in
            try sql.rows("SELECT * FROM audit_log WHERE runner_id = \(runnerID) ORDER BY at DESC, id DESC LIMIT \(max(0, limit))").map { row in
                DataViewRecord(id: try row.get("id"), at: try row.get("at"), accountId: try row.get("account_id"), username: try row.get("username"),
                               role: try row.get("role"), runnerId: try row.get("runner_id"), sessionId: try row.get("session_id"), what: try row.get("what"))
            }
        }
    }

    public func lastViews(accountID: Int64) throws -> [Int64: Date] {
        try statements("reading the last views of account \(accountID)") { sql in
            let rows = try sql.rows("SELECT runner_id, MAX(at) AS last FROM audit_log WHERE account_id = \(accountID) GROUP BY runner_id")
            return Dictionary(try rows.map { (try $0.get("runner_id", as: Int64.self), try $0.get("last", as: Date.self)) }, uniquingKeysWith: max)
        }
    }

    public func removeLoginSession(tokenHash: String) throws {
        try write("ending a login session") { sql in _ = try sql.execute("DELETE FROM login_session WHERE token_hash = \(tokenHash)") }
    }

    public func changePasswordHash(accountID: Int64, passwordHash: String, keepingTokenHash: String?) throws {
        try write("changing the password of account \(accountID)") { sql in
            let updated = try sql.execute("UPDATE account SET password_hash = \(passwordHash) WHERE id = \(accountID)")
            guard updated.metadata.rows ?? 0 > 0 else {
                throw SessionStoreError.invalidValue(field: "account", reason: "no account with id \(accountID)")
            }
            // Without a session to keep, every one ends (SQLite's store: `tokenHash != NULL` is `IS NOT NULL`).
            try sql.execute("DELETE FROM login_session WHERE account_id = \(accountID) AND token_hash IS DISTINCT FROM \(keepingTokenHash)")
        }
    }

    @discardableResult
    public func removeLoginSessions(accountID: Int64) throws -> Int {
        try write("ending the login sessions of account \(accountID)") { sql in
            try sql.execute("DELETE FROM login_session WHERE account_id = \(accountID)").metadata.rows ?? 0
        }
    }

    public func sessions(runnerID: Int64) throws -> [SessionRecord] {
        try statements("listing the sessions of runner \(runnerID)") { sql in
            // NULLS LAST: SQLite sorts an unknown start below every time, so last when descending.
            try sql.rows("SELECT * FROM session WHERE runner_id = \(runnerID) ORDER BY started_at DESC NULLS LAST, id DESC").map(Self.sessionRecord)
        }
    }

    // MARK: - Rows to records

    static func accountRecord(_ row: PostgresRandomAccessRow) throws -> AccountRecord {
        let roleText = try row.get("role", as: String.self)
        guard let role = AccountRecord.Role(rawValue: roleText) else {
            throw SessionStoreError.invalidValue(field: "account.role", reason: "unknown role '\(roleText)'")
        }
        var account = AccountRecord(id: try row.get("id"), username: try row.get("username"), role: role, passwordHash: try row.get("password_hash"),
                                    runnerId: try row.get("runner_id"), createdAt: try row.get("created_at"))
        account.usernameSkeleton = try row.get("username_skeleton")
        account.disabledAt = try row.get("disabled_at")
        return account
    }

    static func loginSessionRecord(_ row: PostgresRandomAccessRow) throws -> LoginSessionRecord {
        LoginSessionRecord(tokenHash: try row.get("token_hash"), accountId: try row.get("account_id"), csrfToken: try row.get("csrf_token"),
                           createdAt: try row.get("created_at"), expiresAt: try row.get("expires_at"))
    }
}
