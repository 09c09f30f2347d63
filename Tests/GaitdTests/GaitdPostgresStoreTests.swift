import BackstrideTestSupport
import Foundation
import GaitDSP
import SessionStore
import Testing

/// gaitd with `--store postgres://…`: the same work, on the clinic's PostgreSQL database.
@Suite(.ownThreads) struct GaitdPostgresStoreTests {
    @Test func aDroppedCSVIsStoredInPostgreSQLAndTheWebPagesAreServed() throws {
        let url = try PostgresTestServer.freshDatabaseURL()
        let data = try temporaryDirectory() + "/data"
        let port = try GaitdHTTPTests.freePort()
        let gaitd = try GaitdProcess(dataDirectory: data, arguments: ["--store", url, "--runner", "ana", "--http-port", "\(port)"])
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        #expect(gaitd.log.contains("store=postgres://postgres@/backstride_test_"), "\(gaitd.log)")
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/.incoming")
        try FileManager.default.moveItem(atPath: data + "/inbox/.incoming", toPath: data + "/inbox/walk-run-walk.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/walk-run-walk.csv") }, "\(gaitd.log)")
        var login = (0, "")
        #expect(waitUntil(timeoutS: 20) { login = GaitdHTTPTests.request("http://127.0.0.1:\(port)/login"); return login.0 == 200 }, "\(gaitd.log)")

        // In PostgreSQL, analysed, as the default runner's; no SQLite file was made.
        let store = try PostgresSessionStore(url: url)
        let rows = try store.sessions(limit: 10)
        #expect(rows.count == 1 && rows.first?.primaryActivity == ActivityKind.running.rawValue)
        let ana = try #require(try store.runner(named: "ana", create: false))
        #expect(rows.first?.runnerID == ana.id)
        #expect(!FileManager.default.fileExists(atPath: data + "/backstride.sqlite"))
        // The run changed Ana's revision: her report and dashboard row are made before anyone asks.
        #expect(waitUntil(timeoutS: 20) { gaitd.log.contains("reports: made 1 runner report(s) and dashboard row(s) ahead of requests") }, "\(gaitd.log)")
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    @Test func aStoreThatIsNotAPostgreSQLURLIsABadConfiguration() throws {
        let home = try temporaryDirectory()
        let printed = try runProcess(Products.gaitd, ["--print-config", "--store", "postgres://clinic:secret@db.example:6543/backstride"], environment: ["HOME": home])
        #expect(printed.status == 0, "\(printed.standardError)")
        #expect(printed.standardOutput.contains("store = postgres://clinic@db.example:6543/backstride\n"), "\(printed.standardOutput)")
        #expect(!printed.standardOutput.contains("secret"))
        #expect(printed.standardOutput.contains("store_connections = 4\n"), "\(printed.standardOutput)")
        try "store_connections = 12\n".write(toFile: home + "/more.conf", atomically: true, encoding: .utf8)
        let more = try runProcess(Products.gaitd, ["--print-config", "--config", home + "/more.conf"], environment: ["HOME": home])
        #expect(more.status == 0 && more.standardOutput.contains("store_connections = 12\n"), "\(more.standardOutput)\(more.standardError)")
        try "store_connections = 0\n".write(toFile: home + "/none.conf", atomically: true, encoding: .utf8)
        let none = try runProcess(Products.gaitd, ["--print-config", "--config", home + "/none.conf"], environment: ["HOME": home])
        #expect(none.status == 78 && none.standardError.contains("store_connections"), "\(none.standardError)")
        let bad = try runProcess(Products.gaitd, ["--print-config", "--store", "mysql://db/backstride"], environment: ["HOME": home])
        #expect(bad.status == 78)
        #expect(bad.standardError.contains("store must be empty (SQLite in the data directory) or a postgres://"), "\(bad.standardError)")
    }

    /// The `gait` commands work on the clinic's database too: its first administrator is added
    /// with `gait account add`, and `gait reanalyze` re-analyses the whole clinic store.
    @Test func gaitCommandsTakeAPostgreSQLURL() throws {
        let url = try PostgresTestServer.freshDatabaseURL()
        let home = try temporaryDirectory()
        let environment = ["HOME": home, "XDG_STATE_HOME": home + "/state"]
        let added = try runProcess(Products.gait, ["account", "add", "ada", "--role", "admin", "--database", url], environment: environment,
                                   input: Data("a long admin password\n".utf8))
        #expect(added.status == 0, "\(added.standardError)")
        let imported = try runProcess(Products.gait, ["import", Products.sample("synthetic/walk-run-walk.csv"), "--runner", "ana", "--database", url],
                                      environment: environment)
        #expect(imported.status == 0, "\(imported.standardError)")
        let listed = try runProcess(Products.gait, ["sessions", "--database", url], environment: environment)
        #expect(listed.status == 0 && listed.standardOutput.contains("walk-run-walk.csv"), "\(listed.standardOutput)\(listed.standardError)")
        let again = try runProcess(Products.gait, ["reanalyze", "--database", url, "--no-progress"], environment: environment)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("re-analysed 1 session(s)"), "\(again.standardOutput)")
        let missing = try runProcess(Products.gait, ["show", "99", "--database", url], environment: environment)
        #expect(missing.status != 0 && missing.standardError.contains("postgres://postgres@"), "\(missing.standardError)")
        #expect(try PostgresSessionStore(url: url).account(username: "ada")?.role == .admin)
    }
}
