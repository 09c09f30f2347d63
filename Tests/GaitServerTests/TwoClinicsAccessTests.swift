import BackstrideTestSupport
import Foundation
import GaitServer
import HTTPTypes
import HummingbirdBcrypt
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIngest
import SessionStore
import Testing

/// Two clinics' worth of accounts on one server, on both stores: every physiotherapist walks every
/// runner and session id (and two past the end) through every page, report and API read, and
/// reads exactly what was granted to them: the rest answers 404, the same as an id that does not
/// exist, with no name of another clinic's runner in it. Writes to what is not theirs are refused
/// the same way and store nothing.
@Suite("Two clinics on one server", .ownThreads)
struct TwoClinicsAccessTests {
    enum Kind: String, CaseIterable, Sendable { case sqlite, postgres }

    /// Runner name → the physiotherapists it granted access to.
    static let grants: [(runner: String, physios: [String])] = [
        ("Alba of clinic A", ["a-pia", "a-paul"]), ("Aaron of clinic A", ["a-pia"]),
        ("Bea of clinic B", ["b-bo"]), ("Bruno of clinic B", ["b-bo"]),
    ]
    /// Physiotherapists; `b-ben` is new and has no runner yet.
    static let physios = ["a-pia", "a-paul", "b-bo", "b-ben"]

    struct Clinic {
        let store: any SessionStore
        /// Runner name → (runner id, its session ids).
        let runners: [String: (id: Int64, sessions: [Int64])]
        /// A session no runner was assigned to.
        let unassigned: Int64
        var maxRunnerID: Int64 { runners.values.map(\.id).max()! }
        var maxSessionID: Int64 { max(unassigned, runners.values.flatMap(\.sessions).max()!) }
    }

    static func makeClinic(_ kind: Kind) throws -> Clinic {
        let folder = try temporaryDirectory(prefix: "backstride-two-clinics")
        let store: any SessionStore = switch kind {
        case .sqlite: try SQLiteSessionStore(path: folder + "/store.sqlite")
        case .postgres: try PostgresSessionStore(url: PostgresTestServer.freshDatabaseURL())
        }
        let ingest = SessionIngest(store: store)
        let hash = Bcrypt.hash(ServerFixture.password, cost: 4)
        var accounts: [String: Int64] = [:]
        for name in physios { accounts[name] = try store.addAccount(AccountRecord(username: name, role: .physio, passwordHash: hash)).id! }
        var runners: [String: (id: Int64, sessions: [Int64])] = [:]
        var seed: UInt64 = 1
        for (name, granted) in grants {
            let runner = try store.runner(named: name, create: true)!.id!
            var sessions: [Int64] = []
            for day in 0..<2 {
                let csv = try SyntheticRun.steadyCSV(in: folder, name: "run-\(seed)", durationS: 40, seed: seed)
                seed += 1
                let id = try ingest.ingestFile(path: csv).id
                try store.assign(sessionID: id, runnerID: runner, shoeID: nil, distanceKm: 5,
                                 startedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(day) * 86_400))
                sessions.append(id)
            }
            ingest.reinferRunner(runnerID: runner)
            for physio in granted { try store.grant(runnerID: runner, physioAccountID: accounts[physio]!) }
            runners[name] = (runner, sessions)
        }
        let unassigned = try ingest.ingestFile(path: SyntheticRun.steadyCSV(in: folder, name: "nobody", durationS: 40, seed: 99)).id
        return Clinic(store: store, runners: runners, unassigned: unassigned)
    }

    @Test("each physiotherapist reads exactly the runners who granted access, by every page, report and API", arguments: Kind.allCases)
    func everyReadAnswersOnlyWhatWasGranted(kind: Kind) async throws {
        let clinic = try Self.makeClinic(kind)
        let app = try GaitServer.buildApplication(configuration: GaitServerConfiguration(host: "127.0.0.1", port: 0), store: clinic.store)
        try await app.test(.router) { client in
            for physio in Self.physios {
                let mine = Set(Self.grants.filter { $0.physios.contains(physio) }.map(\.runner))
                let others = Set(Self.grants.map(\.runner)).subtracting(mine)
                let myRunners = Set(mine.map { clinic.runners[$0]!.id })
                let mySessions = Set(mine.flatMap { clinic.runners[$0]!.sessions })
                let login = try #require(try await client.browserLogin(physio).login)
                let bearer: HTTPFields = [.authorization: "Bearer \(try await client.apiToken(physio))"]
                func read(_ uri: String, headers: HTTPFields, allowed: Bool) async throws {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(response.status == (allowed ? .ok : .notFound), "\(kind) \(physio) GET \(uri)")
                    if !allowed {
                        let body = String(buffer: response.body)
                        #expect(!Self.grants.contains { body.contains($0.runner) }, "\(kind) \(physio) GET \(uri) names a runner: \(body.prefix(300))")
                    }
                }
                for id in 1...(clinic.maxRunnerID + 2) {
                    let allowed = myRunners.contains(id)
                    for page in ["/runners/\(id)", "/runners/\(id)/report", "/runners/\(id)/report.csv", "/runners/\(id)/report.json"] {
                        try await read(page, headers: login.headers, allowed: allowed)
                    }
                    try await read("/api/v1/runners/\(id)", headers: bearer, allowed: allowed)
                }
                for id in 1...(clinic.maxSessionID + 2) {
                    let allowed = mySessions.contains(id)
                    for page in ["/sessions/\(id)", "/sessions/\(id)/report", "/sessions/\(id)/report.csv", "/sessions/\(id)/report.json"] {
                        try await read(page, headers: login.headers, allowed: allowed)
                    }
                    try await read("/api/v1/sessions/\(id)", headers: bearer, allowed: allowed)
                    try await read("/api/v1/sessions/\(id)/pain", headers: bearer, allowed: allowed)
                    guard !allowed else { continue }
                    // Writes to another's session: refused as if it did not exist, nothing stored.
                    let note = try await client.postForm("/sessions/\(id)/notes", ["csrf_token": login.csrf, "note": "guessed"], login: login)
                    #expect(note.status == .notFound, "\(kind) \(physio) POST /sessions/\(id)/notes")
                    let apiNote = try await client.execute(uri: "/api/v1/sessions/\(id)/notes", method: .post,
                                                           headers: bearer.merging([.contentType: "application/json"]),
                                                           body: ByteBuffer(string: "{\"note\": \"guessed\"}"))
                    #expect(apiNote.status == .notFound, "\(kind) \(physio) POST /api/v1/sessions/\(id)/notes")
                }
                // The lists: the API's runners, the dashboard and the home page name only their own.
                let list = try await client.execute(uri: "/api/v1/runners", method: .get, headers: bearer)
                let ids = (try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])?.compactMap { $0["id"] as? Int64 }
                #expect(Set(ids ?? [-1]) == myRunners, "\(kind) \(physio) /api/v1/runners")
                for page in ["/", "/dashboard"] {
                    let html = String(buffer: try await client.execute(uri: page, method: .get, headers: login.headers).body)
                    for name in mine { #expect(html.contains(name), "\(kind) \(physio) \(page) lacks \(name)") }
                    for name in others { #expect(!html.contains(name), "\(kind) \(physio) \(page) shows \(name)") }
                }
            }
            for (name, runner) in clinic.runners {
                let notes = try runner.sessions.flatMap { try clinic.store.painLog(sessionID: $0) }
                #expect(notes.isEmpty, "\(kind): a note reached \(name)'s session")
            }
            #expect(try clinic.store.painLog(sessionID: clinic.unassigned).isEmpty)
        }
    }
}
