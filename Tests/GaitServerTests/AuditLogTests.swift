import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// Every look at a runner's data by someone else is recorded, and the runner reads it (issue 14:
/// "who looked at my data").
@Suite("Audit log", .serialized)
struct AuditLogTests {
    @Test("a physiotherapist's looks (pages, reports, API) are listed for the runner; the runner's own and refused looks are not")
    func looksAreRecordedForTheRunner() async throws {
        let fixture = try ServerFixture()
        let session = fixture.anaSessions[0]
        // The server's clock, 30 days ahead of the wall clock: entries carry the server's time.
        let clock = TestClock()
        clock.advance(30 * 86_400)
        try await fixture.application(now: clock.now).test(.router) { client in
            let pia = try #require(try await client.browserLogin("pia").login)
            for uri in ["/runners/\(fixture.ana)", "/sessions/\(session)", "/sessions/\(session)/report.csv"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: pia.headers).status == .ok, "\(uri)")
            }
            let piaToken = try await client.apiToken("pia")
            #expect(try await client.execute(uri: "/api/v1/sessions/\(session)", method: .get,
                                             headers: [.authorization: "Bearer \(piaToken)"]).status == .ok)
            // Paul has no access: 404, and nothing recorded against Ana.
            let paul = try #require(try await client.browserLogin("paul").login)
            #expect(try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: paul.headers).status == .notFound)
            // Ana's own looks are hers, not an audit entry.
            let ana = try #require(try await client.browserLogin("ana").login)
            #expect(try await client.execute(uri: "/sessions/\(session)", method: .get, headers: ana.headers).status == .ok)

            let page = String(buffer: try await client.execute(uri: "/account/views", method: .get, headers: ana.headers).body)
            #expect(page.contains("pia (physiotherapist)"))
            for what in ["runner page", "session page", "session report (CSV)", "session document (API)"] {
                #expect(page.contains(what), "\(what) missing")
            }
            #expect(!page.contains("paul"))

            let anaToken = try await client.apiToken("ana")
            let api = try await client.execute(uri: "/api/v1/account/views", method: .get, headers: [.authorization: "Bearer \(anaToken)"])
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [[String: Any]])
            #expect(entries.count == 4)
            #expect(entries.allSatisfy { $0["username"] as? String == "pia" && $0["role"] as? String == "physio" })
            #expect(entries.first?["what"] as? String == "session document (API)", "newest first")
            // Only runners have the page.
            #expect(try await client.execute(uri: "/api/v1/account/views", method: .get,
                                             headers: [.authorization: "Bearer \(piaToken)"]).status == .notFound)
            #expect(try fixture.store.views(runnerID: fixture.ben, limit: 10).isEmpty)
            let times = try fixture.store.views(runnerID: fixture.ana, limit: 10).map(\.at)
            #expect(times.count == 4 && times.allSatisfy { abs($0.timeIntervalSince(clock.now())) < 600 }, "\(times) against \(clock.now())")
            #expect(try fixture.store.lastViews(accountID: try #require(try fixture.store.account(username: "pia")?.id))[fixture.ana] != nil)
        }
    }
}
