import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// Logins an attacker cannot grind: per-account and per-address limits with backoff (429 and
/// `Retry-After`), the same bcrypt cost for unknown names, and a grant form that tells nothing
/// about which physiotherapists exist.
@Suite("Login throttle", .serialized)
struct LoginThrottleTests {
    @Test("after 5 wrong passwords the right one is refused with 429 and Retry-After until the wait is over, on the form and the API")
    func accountLockoutWithBackoff() async throws {
        let fixture = try ServerFixture()
        let clock = TestClock()
        try await fixture.application(now: clock.now).test(.router) { client in
            for _ in 0..<5 { #expect(try await client.browserLogin("pia", password: "wrong password").status == .unauthorized) }
            // Before: the right password still worked after 237 failures.
            let form = try await client.execute(uri: "/login", method: .get)
            let csrfCookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("backstride_login_csrf=") })
            let token = String(csrfCookie.dropFirst("backstride_login_csrf=".count).prefix { $0 != ";" })
            let locked = try await client.execute(uri: "/login", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "backstride_login_csrf=\(token)"],
                                                  body: ByteBuffer(string: "username=pia&password=correct+horse+battery+staple&csrf_token=\(token)"))
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(String(buffer: locked.body).contains("Too many failed logins"))
            let api = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                                               body: ByteBuffer(string: "{\"username\":\"PIA\",\"password\":\"\(ServerFixture.password)\"}"))
            #expect(api.status == .tooManyRequests)
            #expect(api.headers[.retryAfter] != nil)
            // The wait doubles with each refused failure; once over, the right password works and clears the count.
            clock.advance(3)
            #expect(try await client.browserLogin("pia").status == .seeOther)
            #expect(try await client.browserLogin("pia", password: "wrong again").status == .unauthorized)
        }
    }

    @Test("one address trying many names is slowed down after 20 failures")
    func addressLimit() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            for k in 0..<20 {
                let status = try await client.browserLogin("nobody\(k)", password: "wrong password").status
                #expect(status == .unauthorized)
            }
            let status = try await client.browserLogin("ben").status
            #expect(status == .tooManyRequests)
        }
    }

    @Test("an unknown name is checked against a stand-in hash at the configured bcrypt cost (before: cost 4 against real cost 12)")
    func unknownUserCostsTheSame() async throws {
        let fixture = try ServerFixture()
        let cost: UInt8 = 10
        let app = try GaitServer.buildApplication(configuration: GaitServerConfiguration(passwordHashCost: cost), store: fixture.store)
        let realHash = Bcrypt.hash(ServerFixture.password, cost: cost)
        _ = try fixture.store.addAccount(AccountRecord(username: "kim", role: .physio, passwordHash: realHash))
        try await app.test(.router) { client in
            func time(_ name: String) async throws -> Double {
                let start = ContinuousClock.now
                let response = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                                                        body: ByteBuffer(string: "{\"username\":\"\(name)\",\"password\":\"wrong password\"}"))
                #expect(response.status == .unauthorized)
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
            _ = try await time("nobody-warm-up")
            let known = try await time("kim"), unknown = try await time("nobody")
            print("login check: existing user \(Int(known * 1000)) ms, unknown user \(Int(unknown * 1000)) ms (bcrypt cost \(cost))")
            // Before: 245 ms against 3 ms. Now both run bcrypt at the same cost.
            #expect(unknown > known / 3 && unknown < known * 3)
        }
    }

    @Test("the grant form answers a wrong name exactly as a name that is not a physiotherapist's, and lists no one not granted")
    func grantFormTellsNothing() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let page = String(buffer: try await client.execute(uri: "/account", method: .get, headers: ana.headers).body)
            #expect(page.contains("pia"))
            #expect(!page.contains("paul"))
            let unknown = try await client.postForm("/account/grants", ["physio": "nobody", "csrf_token": ana.csrf], login: ana)
            let runner = try await client.postForm("/account/grants", ["physio": "ben", "csrf_token": ana.csrf], login: ana)
            let admin = try await client.postForm("/account/grants", ["physio": "ada", "csrf_token": ana.csrf], login: ana)
            #expect(unknown.status == runner.status && runner.status == admin.status)
            #expect(String(buffer: unknown.body) == String(buffer: runner.body))
            #expect(String(buffer: unknown.body) == String(buffer: admin.body))
        }
    }
}
