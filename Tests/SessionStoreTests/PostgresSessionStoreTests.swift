import BackstrideTestSupport
import Dispatch
import Foundation
import SessionStore
import Testing

/// What only the PostgreSQL store has: its URL, its migrations, and several servers on one database.
@Suite("PostgreSQL session store", .ownThreads)
struct PostgresSessionStoreTests {
    @Test("a new database gets every migration once; opening it again applies none and keeps the rows")
    func migrationsRunOnceOnOpen() throws {
        let url = try PostgresTestServer.freshDatabaseURL()
        let store = try PostgresSessionStore(url: url)
        #expect(try store.appliedMigrations() == PostgresSchema.migrationNames)
        let runner = try #require(try store.runner(named: "Pia", create: true))
        store.close()
        let reopened = try PostgresSessionStore(url: url)
        #expect(try reopened.appliedMigrations() == PostgresSchema.migrationNames)
        #expect(try reopened.runners() == [runner])
    }

    @Test("a closed connection is opened again by the next call")
    func reconnectsAfterClose() throws {
        let store = try PostgresSessionStore(url: PostgresTestServer.freshDatabaseURL())
        _ = try store.runner(named: "Pia", create: true)
        store.close()
        #expect(try store.runners().map(\.name) == ["Pia"])
    }

    @Test("two servers on one database storing the same session at once store it once")
    func concurrentInsertsOfOneSessionStoreItOnce() throws {
        let url = try PostgresTestServer.freshDatabaseURL()
        let stores = [try PostgresSessionStore(url: url), try PostgresSessionStore(url: url)]
        let outcomes = NSLock()
        nonisolated(unsafe) var results: [Result<InsertOutcome, any Error>] = []
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = Result { try stores[index].insertSession(ContractFixtures.draft(hash: "same"), rawSamples: ContractFixtures.spool(), inference: nil) }
            outcomes.lock()
            results.append(result)
            outcomes.unlock()
        }
        let inserted = try results.map { try $0.get() }
        #expect(inserted.filter(\.inserted).count == 1)
        #expect(Set(inserted.map(\.id)).count == 1)
        #expect(try stores[0].allSessionIDs().count == 1)
    }

    @Test("URLs: TCP with port and password, a socket folder, the user's database by default; the password never printed")
    func locations() throws {
        let tcp = try PostgresStoreLocation(url: "postgres://clinic:s%40cret@db.example:6543/backstride")
        #expect(tcp.host == "db.example" && tcp.port == 6543 && tcp.username == "clinic" && tcp.password == "s@cret" && tcp.database == "backstride")
        #expect(tcp.socketFolder == nil && tcp.description == "postgres://clinic@db.example:6543/backstride")
        let socket = try PostgresStoreLocation(url: "postgresql://postgres@/store?host=/tmp/pg&port=5433")
        #expect(socket.host == nil && socket.socketFolder == "/tmp/pg" && socket.port == 5433 && socket.database == "store")
        let defaults = try PostgresStoreLocation(url: "postgres://gait@localhost")
        #expect(defaults.port == 5432 && defaults.database == "gait" && defaults.password == nil)
        #expect(defaults.tlsMode == .prefer && defaults.rootCertificatePath == nil)
        let clear = try PostgresStoreLocation(url: "postgres://gait@localhost/db?sslmode=disable")
        #expect(clear.tlsMode == .disable && clear.description == "postgres://gait@localhost:5432/db?sslmode=disable")
        let verified = try PostgresStoreLocation(url: "postgres://gait@db.example/db?sslmode=verify-full&sslrootcert=/dev/null")
        #expect(verified.tlsMode == .verifyFull && verified.rootCertificatePath == "/dev/null")
        #expect(verified.description == "postgres://gait@db.example:5432/db?sslmode=verify-full&sslrootcert=/dev/null")
    }

    @Test("over TCP the store speaks TLS as sslmode asks: verified against the right certificate, refused against another; the server refuses clear text")
    func tlsToTheDatabase() throws {
        let (url, certificate, other) = try PostgresTestServer.freshTLSDatabase()
        for mode in ["sslmode=verify-full&sslrootcert=\(certificate)", "sslmode=verify-ca&sslrootcert=\(certificate)", "sslmode=require", ""] {
            // The server takes TCP connections over TLS only (hostssl), so a store that opens spoke TLS.
            let store = try PostgresSessionStore(url: url + (mode.isEmpty ? "" : "?" + mode))
            #expect(try store.runner(named: "Pia", create: true)?.name == "Pia", "\(mode)")
            store.close()
        }
        let wrongRoot = #expect(throws: SessionStoreError.self) {
            try PostgresSessionStore(url: url + "?sslmode=verify-full&sslrootcert=\(other)")
        }
        guard case .cannotOpen(let path, let reason) = wrongRoot else {
            Issue.record("expected cannotOpen, got \(String(describing: wrongRoot))")
            return
        }
        #expect(path.contains("sslmode=verify-full"))
        #expect(reason.lowercased().contains("certificate") || reason.contains("handshake") || reason.contains("SSL"), "\(reason)")
        let clear = #expect(throws: SessionStoreError.self) { try PostgresSessionStore(url: url + "?sslmode=disable") }
        #expect("\(String(describing: clear))".contains("no encryption"), "\(String(describing: clear))")
    }

    @Test("URLs that cannot be used are refused with the reason", arguments: [
        ("mysql://gait@localhost/db", "expected postgres://user@host:port/database"),
        ("postgres://localhost/db", "the URL names no user"),
        ("postgres://gait@/db", "the URL names no host"),
        ("postgres://gait@localhost/db?sslmode=allow", "sslmode=allow is not supported (one of disable, prefer, require, verify-ca, verify-full)"),
        ("postgres://gait@localhost/db?sslmode=verify-full&sslrootcert=/no/such/root.pem", "sslrootcert=/no/such/root.pem cannot be read"),
        ("postgres://gait@localhost:0/db", "the port is 1 to 65535"),
    ])
    func badLocations(url: String, reason: String) {
        #expect(throws: SessionStoreError.invalidValue(field: "PostgreSQL URL", reason: reason)) { try PostgresStoreLocation(url: url) }
    }

    @Test("a server that does not answer is a typed cannotOpen error naming the URL without its password")
    func unreachableServer() throws {
        let folder = try temporaryDirectory(prefix: "backstride-no-server")
        let error = #expect(throws: SessionStoreError.self) {
            try PostgresSessionStore(url: "postgres://gait:secret@/db?host=\(folder)")
        }
        guard case .cannotOpen(let path, _) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(path == "postgres://gait@/db?host=\(folder)&port=5432")
    }
}
