import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// bcrypt runs on its own small pool: 32 clients hammering the login with wrong passwords over a
/// real socket leave another user's API calls fast.
@Suite("Login flood", .serialized)
struct LoginFloodTests {
    @Test("an authenticated API call keeps its latency while 32 clients send wrong passwords (bcrypt cost 12, live port)")
    func otherRequestsKeepTheirLatencyUnderALoginFlood() async throws {
        let fixture = try ServerFixture()
        // The limits are lifted so that every guess really runs bcrypt at cost 12: this measures
        // the pool, not the rate limit.
        let configuration = GaitServerConfiguration(host: "127.0.0.1", port: 0, passwordHashCost: 12,
                                                    loginFailuresPerAccount: 1_000_000, loginFailuresPerAddress: 1_000_000)
        let app = try GaitServer.buildApplication(configuration: configuration, store: fixture.store)
        try await app.test(.live) { client in
            let token = try await client.apiToken("paul")
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let port = try #require(client.port)
            let flooding = ManagedFlag()
            let guesses = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for k in 0..<32 {
                    group.addTask {
                        // Each attacker on its own connection; its guesses queue behind 31 others.
                        let attacker = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)))
                        attacker.connect()
                        while flooding.isSet {
                            let response = try await attacker.execute(.init("/api/v1/tokens", method: .post, authority: "localhost",
                                                                            headers: [.contentType: "application/json"],
                                                                            body: ByteBuffer(string: "{\"username\":\"nobody\(k)\",\"password\":\"guess \(k)\"}")))
                            #expect(response.status == .unauthorized)
                            guesses.add()
                        }
                        try await attacker.shutdown()
                    }
                }
                // Let the flood fill the hashing pool's queue, then measure.
                try await Task.sleep(for: .milliseconds(500))
                var latenciesMS: [Double] = []
                for _ in 0..<60 {
                    let start = ContinuousClock.now
                    let response = try await client.execute(uri: "/api/v1/runners", method: .get, headers: bearer)
                    let elapsed = ContinuousClock.now - start
                    #expect(response.status == .ok)
                    latenciesMS.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    try await Task.sleep(for: .milliseconds(20))
                }
                flooding.clear()
                try await group.waitForAll()
                latenciesMS.sort()
                let p50 = latenciesMS[latenciesMS.count / 2], p95 = latenciesMS[Int(Double(latenciesMS.count - 1) * 0.95)]
                print("login flood: GET /api/v1/runners p50 \(String(format: "%.1f", p50)) ms, p95 \(String(format: "%.1f", p95)) ms over \(latenciesMS.count) calls while 32 clients sent \(guesses.value) wrong passwords (before: median 8.3 s)")
                #expect(guesses.value >= 4, "the flood did not run")
                #expect(p95 < 250, "p95 \(p95) ms")
            }
        }
    }
}

/// A flag the flood's tasks read while the measurement runs.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = true
    var isSet: Bool { lock.withLock { set } }
    func clear() { lock.withLock { set = false } }
}

/// A count shared by the flood's tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
