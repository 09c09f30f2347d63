import BackstrideTestSupport
import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIngest
import SessionStore
import Testing

/// The physiotherapist's dashboard (issue 14): their runners only, the latest run and its
/// warnings by evidence grade, the pain trend, and what is new since they last looked.
@Suite("Dashboard", .serialized)
struct DashboardTests {
    @Test("lists only the runners who granted access, counts new runs since the last look, sorts by any column")
    func theDashboardFollowsThePhysiotherapistsLooks() async throws {
        let fixture = try ServerFixture()
        let cache = RenderCache()
        try await fixture.application(cache: cache).test(.router) { client in
            let pia = try #require(try await client.browserLogin("pia").login)
            func dashboard(_ query: String = "") async throws -> String {
                let response = try await client.execute(uri: "/\(query)", method: .get, headers: pia.headers)
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            var page = try await dashboard()
            #expect(page.contains("/runners/\(fixture.ana)\""))
            #expect(page.contains("/runners/\(fixture.ana)/report\""))
            #expect(!page.contains("/runners/\(fixture.ben)\""))
            #expect(page.contains("not looked at yet"))
            #expect(page.contains("(2 runs)"))
            #expect(page.contains("/sessions/\(fixture.anaSessions[1])\""), "the latest run links to its session")

            // Pia looks at Ana's page: nothing new until Ana's next run arrives.
            _ = try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: pia.headers)
            try await Task.sleep(for: .milliseconds(20))
            page = try await dashboard()
            #expect(page.contains("nothing new"))
            let path = try ServerFixture.csv(in: fixture.folder, seed: 9, asymmetry: 0)
            let id = try SessionIngest(store: fixture.store).ingestFile(path: path).id
            try fixture.store.assign(sessionID: id, runnerID: fixture.ana, shoeID: nil, distanceKm: 5,
                                     startedAt: Date(timeIntervalSince1970: 1_780_000_000 + 5 * 86_400))
            SessionIngest(store: fixture.store).reinferRunner(runnerID: fixture.ana)
            page = try await dashboard()
            #expect(page.contains("1 new run"), "\(page)")
            #expect(page.contains("(3 runs)"))
            #expect(page.contains("/sessions/\(id)\""), "the new run is the latest")

            // Every column sorts; the current one is marked.
            for sort in ["name", "latest", "warnings", "pain", "new"] {
                let sorted = try await dashboard("dashboard?sort=\(sort)")
                #expect(sorted.contains("▾"))
                #expect(sorted.contains("/runners/\(fixture.ana)\""))
            }
            // A runner's home is their own page, not the dashboard.
            let ana = try #require(try await client.browserLogin("ana").login)
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: ana.headers).status == .seeOther)
        }
    }

    @Test("a red flag and rising pain are on the runner's row")
    func redFlagsAndRisingPainShow() async throws {
        let fixture = try ServerFixture()
        for (session, score) in zip(fixture.anaSessions, [2, 4]) {
            _ = try fixture.store.addPain(PainLogEntry(sessionId: session, painScore: score))
        }
        let path = try ServerFixture.csv(in: fixture.folder, seed: 11, asymmetry: 0)
        let third = try SessionIngest(store: fixture.store).ingestFile(path: path).id
        try fixture.store.assign(sessionID: third, runnerID: fixture.ana, shoeID: nil, distanceKm: 5,
                                 startedAt: Date(timeIntervalSince1970: 1_780_000_000 + 6 * 86_400))
        _ = try fixture.store.addPain(PainLogEntry(sessionId: third, painScore: 6, symptoms: [.numbness]))
        SessionIngest(store: fixture.store).reinferRunner(runnerID: fixture.ana)
        try await fixture.application().test(.router) { client in
            let pia = try #require(try await client.browserLogin("pia").login)
            let page = String(buffer: try await client.execute(uri: "/dashboard?sort=warnings", method: .get, headers: pia.headers).body)
            #expect(page.contains("2 → 4 → 6 (rising)"), "\(page)")
            #expect(page.contains("See a doctor now"))
        }
    }
}
