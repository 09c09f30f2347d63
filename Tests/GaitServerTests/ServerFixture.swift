import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitServer
import GaitSynth
import HTTPTypes
import HummingbirdBcrypt
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIO
import SessionIngest
import SessionStore

/// A real store with two runners (Ana: two sessions, Ben: one), two physiotherapists (one per
/// runner), Ana's and Ben's own runner accounts and an administrator ("ada"), and helpers to log
/// in and send forms.
struct ServerFixture {
    let store: SQLiteSessionStore
    let ana: Int64, ben: Int64
    let anaSessions: [Int64], benSession: Int64
    /// The fixture's folder (its store and CSV files).
    let folder: String
    static let password = "correct horse battery staple"

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try SQLiteSessionStore(path: folder + "/store.sqlite")
        ana = try store.runner(named: "Ana <script>alert(1)</script>", create: true)!.id!
        ben = try store.runner(named: "Ben", create: true)!.id!
        var ids: [Int64] = []
        for (k, runner) in [ana, ana, ben].enumerated() {
            let path = try Self.csv(in: folder, seed: UInt64(k + 1), asymmetry: k == 1 ? 13 : 0)
            let id = try SessionIngest(store: store).ingestFile(path: path).id
            try store.assign(sessionID: id, runnerID: runner, shoeID: nil, distanceKm: 5,
                             startedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(k) * 86_400))
            ids.append(id)
        }
        SessionIngest(store: store).reinferRunner(runnerID: ana)
        SessionIngest(store: store).reinferRunner(runnerID: ben)
        anaSessions = Array(ids.prefix(2))
        benSession = ids[2]
        let hash = Bcrypt.hash(Self.password, cost: 4)
        let physioAna = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: hash))
        let physioBen = try store.addAccount(AccountRecord(username: "paul", role: .physio, passwordHash: hash))
        _ = try store.addAccount(AccountRecord(username: "ana", role: .runner, passwordHash: hash, runnerId: ana))
        _ = try store.addAccount(AccountRecord(username: "ben", role: .runner, passwordHash: hash, runnerId: ben))
        _ = try store.addAccount(AccountRecord(username: "ada", role: .admin, passwordHash: hash))
        self.folder = folder
        try store.grant(runnerID: ana, physioAccountID: physioAna.id!)
        try store.grant(runnerID: ben, physioAccountID: physioBen.id!)
    }

    /// A 2 min synthetic run as canonical CSV.
    static func csv(in folder: String, seed: UInt64, asymmetry: Double) throws -> String {
        try SyntheticRun.steadyCSV(in: folder, durationS: 150, seed: seed, stepTimeAsymmetryPct: asymmetry)
    }

    func application(lifetimeS: Double = 3600, port: Int = 0, maxUploadBytes: Int = 1 << 30, cache: RenderCache = RenderCache(),
                     now: @escaping @Sendable () -> Date = { Date() }) -> some ApplicationProtocol {
        // Plain HTTP: nothing to load, so nothing can fail.
        try! GaitServer.buildApplication(configuration: GaitServerConfiguration(host: "127.0.0.1", port: port, sessionLifetimeS: lifetimeS,
                                                                           maxSessionUploadBytes: maxUploadBytes, uploadDirectory: folder,
                                                                           now: now),
                                    store: store, cache: cache)
    }
}

/// A clock the test moves by hand (logins expire without waiting for them).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time = Date()

    /// The current time of this clock.
    var now: @Sendable () -> Date { { [self] in lock.withLock { time } } }

    /// Moves the clock forward by `seconds`.
    func advance(_ seconds: Double) { lock.withLock { time = time.addingTimeInterval(seconds) } }
}

/// A browser's view of a login: its cookie and the page's CSRF token.
struct BrowserLogin {
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: "backstride_session=\(cookie)"] }
}

extension TestClientProtocol {
    /// Logs in through the login form as a browser would (GET the form, POST it with its CSRF cookie).
    func browserLogin(_ username: String, password: String = ServerFixture.password) async throws -> (status: HTTPResponse.Status, login: BrowserLogin?) {
        let form = try await execute(uri: "/login", method: .get)
        let csrfCookie = try require2(form.headers[values: .setCookie].first { $0.hasPrefix("backstride_login_csrf=") })
        let token = String(csrfCookie.dropFirst("backstride_login_csrf=".count).prefix { $0 != ";" })
        let response = try await execute(uri: "/login", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "backstride_login_csrf=\(token)"],
                                         body: ByteBuffer(string: "username=\(username)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&csrf_token=\(token)"))
        guard response.status == .seeOther,
              let session = response.headers[values: .setCookie].first(where: { $0.hasPrefix("backstride_session=") }) else {
            return (response.status, nil)
        }
        let cookie = String(session.dropFirst("backstride_session=".count).prefix { $0 != ";" })
        let home = try await execute(uri: "/account", method: .get, headers: [.cookie: "backstride_session=\(cookie)"])
        let anyPage = home.status == .ok ? home : try await execute(uri: "/", method: .get, headers: [.cookie: "backstride_session=\(cookie)"])
        let csrf = Self.csrfToken(in: String(buffer: anyPage.body)) ?? ""
        return (response.status, BrowserLogin(cookie: cookie, csrf: csrf))
    }

    /// The first `csrf_token` value in a page.
    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf_token\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// An API token for the account.
    func apiToken(_ username: String) async throws -> String {
        let response = try await execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: "{\"username\":\"\(username)\",\"password\":\"\(ServerFixture.password)\"}"))
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return try require2(object?["token"] as? String)
    }

    /// A form POST with the login cookie.
    func postForm(_ uri: String, _ fields: [String: String], login: BrowserLogin) async throws -> TestResponse {
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        var headers = login.headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

struct MissingValue: Error, CustomStringConvertible {
    let description: String
}

/// Unwraps or throws (usable outside a test function).
func require2<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw MissingValue(description: "missing \(what)") }
    return value
}
