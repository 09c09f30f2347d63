import Foundation
import GRDB
import SessionStore
import Testing

/// Account names: stored normalised (NFKC, case-folded), look-alikes refused, and the accounts'
/// login and password changes in the store.
@Suite("Account names")
struct AccountNameTests {
    func store() throws -> SQLiteSessionStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-accounts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try SQLiteSessionStore(path: folder + "/store.sqlite")
    }

    @Test("names are normalised: case, full-width forms and composed accents are one name", arguments: [
        ("Pia", "pia"), ("ＰＩＡ", "pia"), ("  pia ", "pia"), ("Jose\u{301}", "josé"), ("STRASSE", "strasse"),
    ])
    func normalisation(input: String, expected: String) {
        #expect(AccountName.normalised(input) == expected)
    }

    @Test("a Cyrillic or Greek look-alike of an existing name is refused (before: accepted as a new account)", arguments: [
        "pіa",   // Cyrillic і
        "рia",   // Cyrillic р
        "piа",   // Cyrillic а
        "PΙA",   // Greek capital iota
        "Pia",   // only the case differs
    ])
    func lookAlikesAreRefused(name: String) throws {
        let store = try store()
        _ = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: "x"))
        #expect(throws: SessionStoreError.self) { try store.addAccount(AccountRecord(username: name, role: .physio, passwordHash: "x")) }
        #expect(try store.accounts().count == 1)
    }

    @Test("distinct names stay distinct, and are found however they are typed")
    func distinctNames() throws {
        let store = try store()
        let stored = try store.addAccount(AccountRecord(username: "Pia.Müller", role: .physio, passwordHash: "x"))
        #expect(stored.username == "pia.müller")
        _ = try store.addAccount(AccountRecord(username: "paul", role: .physio, passwordHash: "x"))
        _ = try store.addAccount(AccountRecord(username: "pi0", role: .physio, passwordHash: "x"))
        #expect(try store.account(username: "PIA.MÜLLER")?.id == stored.id)
        #expect(try store.account(username: "pia.mu\u{308}ller")?.id == stored.id)
    }

    @Test("a password change ends every other login of the account; log out everywhere ends all")
    func loginSessionsEnd() throws {
        let store = try store()
        let a = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: "old"))
        let b = try store.addAccount(AccountRecord(username: "paul", role: .physio, passwordHash: "old"))
        let later = Date().addingTimeInterval(3600)
        for (hash, id) in [("a1", a.id!), ("a2", a.id!), ("b1", b.id!)] {
            try store.addLoginSession(LoginSessionRecord(tokenHash: hash, accountId: id, csrfToken: "c", expiresAt: later))
        }
        try store.changePasswordHash(accountID: a.id!, passwordHash: "new", keepingTokenHash: "a1")
        #expect(try store.account(id: a.id!)?.passwordHash == "new")
        #expect(try store.loginSession(tokenHash: "a1") != nil)
        #expect(try store.loginSession(tokenHash: "a2") == nil)
        #expect(try store.removeLoginSessions(accountID: a.id!) == 1)
        #expect(try store.loginSession(tokenHash: "a1") == nil)
        #expect(try store.loginSession(tokenHash: "b1") != nil)
    }

    @Test("migration v11 normalises the names already stored, unless two would clash")
    func migrationNormalisesExistingNames() throws {
        let queue = try DatabaseQueue()
        var migrator = SessionStoreSchema.migrator
        try migrator.migrate(queue, upTo: "v10-entry-authors")
        try queue.write { db in
            for name in ["Pia", "BEN", "ben"] {
                try db.execute(sql: "INSERT INTO account (username, role, passwordHash, createdAt) VALUES (?, 'physio', 'x', ?)", arguments: [name, Date()])
            }
        }
        migrator = SessionStoreSchema.migrator
        try migrator.migrate(queue)
        let names = try queue.read { try String.fetchAll($0, sql: "SELECT username FROM account ORDER BY id") }
        #expect(names == ["pia", "BEN", "ben"])
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT usernameSkeleton FROM account ORDER BY id") } == ["pia", "ben", "ben"])
    }
}
