import AsyncHTTPClient
import BackstrideTestSupport
import ClinicPush
import Foundation
import GaitServer
import Hummingbird
import NIOCore
import NIOHTTP1
import SessionIngest
import SessionStore

/// A clinic (a real GaitServer over a real SQLite store, on a loopback port) with a runner, Ana,
/// and her runner account; and Ana's own store, as her gaitd has it, with sessions to push.
final class ClinicFixture: @unchecked Sendable {
    let folder: String
    let clinicStore: SQLiteSessionStore
    let runnerStore: SQLiteSessionStore
    /// Ana's id at the clinic.
    let ana: Int64
    let clock = TestClock()
    static let password = "correct horse battery staple"

    /// The stores are `clinicFile` and `runnerFile` in a new folder (a gaitd's data folder, for
    /// `DATA/backstride.sqlite`).
    init(clinicFile: String = "clinic.sqlite", runnerFile: String = "runner.sqlite") throws {
        folder = try temporaryDirectory(prefix: "backstride-clinic")
        clinicStore = try SQLiteSessionStore(path: folder + "/" + clinicFile)
        runnerStore = try SQLiteSessionStore(path: folder + "/" + runnerFile)
        ana = try clinicStore.runner(named: "Ana", create: true)!.id!
        _ = try clinicStore.addAccount(AccountRecord(username: "ana", role: .runner,
                                                     passwordHash: try GaitServer.hashPassword(Self.password, cost: 4), runnerId: ana))
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// The clinic's configuration: small chunks, so a session takes several.
    func configuration(port: Int, pairedClinic: String? = nil) -> GaitServerConfiguration {
        var configuration = GaitServerConfiguration(host: "127.0.0.1", port: port, passwordHashCost: 4, uploadDirectory: folder + "/uploads",
                                                    now: clock.now, maxPushChunkBytes: 64 << 10)
        configuration.pairedClinic = { pairedClinic }
        return configuration
    }

    /// Starts the clinic on `port` (0: a free one); returns the port and the task serving it.
    func startClinic(port: Int = 0, store: SQLiteSessionStore? = nil, pairedClinic: String? = nil) async throws -> (port: Int, task: Task<Void, any Error>) {
        let port = port == 0 ? try freePort() : port
        let app = try GaitServer.buildApplication(configuration: configuration(port: port, pairedClinic: pairedClinic), store: store ?? clinicStore)
        let task = Task { try await app.runService() }
        // Generous: with the whole suite running, the cooperative pool may be busy for a while.
        guard try await waitForPort(port, timeoutS: 120) else { throw FixtureError("the clinic did not start on port \(port) within 120 s") }
        return (port, task)
    }

    /// A session in Ana's own store (a synthetic run of `durationS`, recorded in `timeZone`) with a pain entry; its id.
    func runnerSession(seed: UInt64, durationS: Double = 60, timeZone: String? = nil) throws -> SessionID {
        let path = try SyntheticRun.steadyCSV(in: folder, durationS: durationS, seed: seed)
        let id = try SessionIngest(store: runnerStore).ingestFile(path: path, attribution: Attribution(runner: "Ana", createRunner: true, timeZone: timeZone)).id
        _ = try runnerStore.addPain(PainLogEntry(sessionId: id, painScore: 3, location: "left knee", note: "after 5 km"))
        return id
    }

    /// Logs Ana in through the API; her bearer token.
    func login(port: Int) async throws -> String {
        struct Token: Decodable { let token: String }
        let data = try await request(port: port, .POST, "api/v1/tokens", json: ["username": "ana", "password": Self.password], expect: 201)
        return try JSONDecoder().decode(Token.self, from: data).token
    }

    /// A pairing code for Ana, as her page would show it.
    func pairingCode(port: Int, token: String) async throws -> String {
        struct Code: Decodable { let code: String }
        let data = try await request(port: port, .POST, "api/v1/pairing-codes", json: [String: String](), token: token, expect: 201)
        return try JSONDecoder().decode(Code.self, from: data).code
    }

    /// Pairs a device with a fresh code; the pairing as `gait clinic pair` stores it.
    func pair(port: Int, name: String = "Ana's laptop") async throws -> ClinicPairing {
        let token = try await login(port: port)
        let code = try await pairingCode(port: port, token: token)
        let endpoint = try ClinicEndpoint("http://127.0.0.1:\(port)/")
        let paired = try await ClinicClient(endpoint: endpoint, deviceToken: nil).pair(code: code, deviceName: name)
        return ClinicPairing(clinicURL: endpoint.baseURL, deviceToken: paired.deviceToken, deviceID: paired.deviceID, runnerID: paired.runnerID,
                             deviceName: name, pairedUTCS: Date().timeIntervalSince1970)
    }

    /// A pusher of Ana's store to the clinic, retrying quickly.
    func pusher(_ pairing: ClinicPairing) throws -> ClinicPusher {
        try ClinicPusher(store: runnerStore, pairing: pairing, workFolder: folder + "/push",
                         settings: .init(firstRetryDelayS: 0.05, maximumRetryDelayS: 0.4, pollIntervalS: 0.1))
    }

    /// One request; its body, after checking its status.
    @discardableResult
    func request(port: Int, _ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, body: [UInt8]? = nil,
                 headers: [(String, String)] = [], token: String? = nil, expect status: Int) async throws -> Data {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = Data((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
        guard Int(response.status.code) == status else {
            throw FixtureError("\(method) \(path): expected \(status), got \(response.status.code): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    /// Sessions in the clinic's store.
    func clinicSessionCount() throws -> Int { try clinicStore.allSessionIDs().count }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time = Date()
    var now: @Sendable () -> Date { { [self] in lock.withLock { time } } }
    func advance(_ seconds: Double) { lock.withLock { time = time.addingTimeInterval(seconds) } }
}

/// A TCP port nobody listens on now (bound to 0, read, closed).
func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw FixtureError("socket: \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard bound == 0 else { throw FixtureError("bind: \(errno)") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts connections on the loopback `port` within `timeoutS`.
func waitForPort(_ port: Int, timeoutS: Double) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if canConnect(port) { return true }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    // Once more after the deadline: a sleep that overslept (a busy cooperative pool) must not
    // fail a server that is listening by now.
    return canConnect(port)
}

func canConnect(_ port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
}
