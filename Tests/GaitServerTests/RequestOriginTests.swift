import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// Requests only from where they should come: the `Host` among the configured names, API bodies
/// only as JSON, 413 for oversized bodies, HEAD for every page, nosniff on every response.
@Suite("Request origin", .serialized)
struct RequestOriginTests {
    @Test("a foreign Host is answered 421 over a real socket, a missing one 400; loopback names and the configured host pass")
    func hostIsChecked() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            func status(authority: String?) async throws -> HTTPResponse.Status {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { raw in
                    try await raw.execute(.init("/login", method: .get, authority: authority)).status
                }
            }
            // Before: any Host was accepted (a DNS-rebinding page reaches the loopback server under its own name).
            #expect(try await status(authority: "attacker.example") == .misdirectedRequest)
            #expect(try await status(authority: "attacker.example:8480") == .misdirectedRequest)
            #expect(try await status(authority: "localhost:8480") == .ok)
            #expect(try await status(authority: "127.0.0.1:\(port)") == .ok)
            #expect(try await status(authority: "[::1]:8480") == .ok)
            #expect(try await status(authority: nil) == .badRequest)
        }
        let named = try GaitServer.buildApplication(configuration: GaitServerConfiguration(host: "clinic.example", port: 0), store: fixture.store)
        try await named.test(.router) { client in
            let status = try await client.execute(uri: "/login", method: .get).status
            #expect(status == .ok)
        }
        let onlyProxyName = try GaitServer.buildApplication(configuration: GaitServerConfiguration(allowedHostNames: ["gait.clinic.example"]), store: fixture.store)
        try await onlyProxyName.test(.router) { client in
            // The router test client always says "localhost".
            let status = try await client.execute(uri: "/login", method: .get).status
            #expect(status == .misdirectedRequest)
        }
        #expect(GaitServerConfiguration(host: "10.0.0.5").allowedHostNames == ["localhost", "127.0.0.1", "::1", "[::1]", "10.0.0.5"])
    }

    @Test("API bodies only as application/json: a text/plain login from another page is 415, forms stay forms")
    func apiBodiesOnlyAsJSON() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let body = "{\"username\":\"pia\",\"password\":\"\(ServerFixture.password)\"}"
            let plain = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "text/plain", .origin: "http://attacker.example"],
                                                 body: ByteBuffer(string: body))
            #expect(plain.status == .unsupportedMediaType)
            let none = try await client.execute(uri: "/api/v1/tokens", method: .post, body: ByteBuffer(string: body))
            #expect(none.status == .unsupportedMediaType)
            let json = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                                                body: ByteBuffer(string: body))
            #expect(json.status == .created)
            let token = try await client.apiToken("ana")
            let pain = try await client.execute(uri: "/api/v1/sessions/\(fixture.anaSessions[0])/pain", method: .post,
                                                headers: [.authorization: "Bearer \(token)", .contentType: "text/plain"], body: ByteBuffer(string: "{\"pain_score\":2}"))
            #expect(pain.status == .unsupportedMediaType)
            #expect(try await client.browserLogin("ana").status == .seeOther)
        }
    }

    @Test("a 10 MB body is answered 413 (before: 400) on the login form, the token API and the pain API")
    func oversizedBodiesAre413() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 10 << 20)
            let token = try await client.apiToken("ana")
            let login = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: big)
            #expect(login.status == .contentTooLarge)
            let tokens = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"], body: big)
            #expect(tokens.status == .contentTooLarge)
            let pain = try await client.execute(uri: "/api/v1/sessions/\(fixture.anaSessions[0])/pain", method: .post,
                                                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: big)
            #expect(pain.status == .contentTooLarge)
        }
    }

    @Test("HEAD answers every GET page with its status and headers and no body (before: 404)")
    func headForEveryPage() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            #expect(try await client.execute(uri: "/login", method: .head).status == .ok)
            for uri in ["/", "/runners/\(fixture.ana)", "/sessions/\(fixture.anaSessions[0])", "/sessions/\(fixture.anaSessions[0])/report",
                        "/sessions/\(fixture.anaSessions[0])/report.csv", "/runners/\(fixture.ana)/report.json", "/account", "/account/password",
                        "/api/v1/runners"] {
                let get = try await client.execute(uri: uri, method: .get, headers: ana.headers)
                let head = try await client.execute(uri: uri, method: .head, headers: ana.headers)
                #expect(head.status == get.status, "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
                #expect(head.body.readableBytes == 0, "\(uri)")
            }
        }
    }

    @Test("every response carries X-Content-Type-Options: nosniff: pages, exports, API, errors, redirects")
    func noSniffEverywhere() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            for (uri, headers) in [("/login", HTTPFields()), ("/", ana.headers), ("/runners/\(fixture.ana)/report.csv", ana.headers),
                                   ("/sessions/\(fixture.anaSessions[0])/report.json", ana.headers), ("/api/v1/runners", ana.headers),
                                   ("/no/such/page", HTTPFields()), ("/runners/\(fixture.ben)", HTTPFields())] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.headers[values: .init("X-Content-Type-Options")!] == ["nosniff"], "\(uri) \(response.status)")
            }
        }
    }
}
