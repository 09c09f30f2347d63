import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// The web server through real HTTP: login, expiry, CSRF, access control by role and grant
/// (id guessing included), bad input, and the JSON API.
@Suite("GaitServer", .serialized)
struct GaitServerTests {
    @Test("a physiotherapist logs in through the form and sees only the runners who granted access")
    func loginAndRunnerList() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.live) { client in
            let (status, login) = try await client.browserLogin("pia")
            #expect(status == .seeOther)
            let cookie = try #require(login)
            let home = try await client.execute(uri: "/", method: .get, headers: cookie.headers)
            #expect(home.status == .ok)
            let html = String(buffer: home.body)
            #expect(html.contains("/runners/\(fixture.ana)"))
            #expect(!html.contains("/runners/\(fixture.ben)"))
            // The hostile runner name is escaped, and pages forbid scripts.
            #expect(html.contains("Ana &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>"))
            #expect(home.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let session = try await client.execute(uri: "/sessions/\(fixture.anaSessions[1])", method: .get, headers: cookie.headers)
            #expect(session.status == .ok)
            #expect(String(buffer: session.body).contains("asymmetry") || String(buffer: session.body).contains("differs between sides"))
        }
    }

    @Test("wrong password, unknown user and a login form without its CSRF cookie are refused")
    func badLogins() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            #expect(try await client.browserLogin("pia", password: "wrong").status == .unauthorized)
            #expect(try await client.browserLogin("nobody").status == .unauthorized)
            let forged = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "username=pia&password=x&csrf_token=0123"))
            #expect(forged.status == .forbidden)
            // Without a login, pages send the browser to the form and the API answers 401.
            let page = try await client.execute(uri: "/runners/\(fixture.ana)", method: .get)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login")
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get).status == .unauthorized)
        }
    }

    @Test("a physiotherapist cannot read another physiotherapist's runner, by page, API or guessed ids")
    func accessControlAgainstIdGuessing() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let login = try #require(try await client.browserLogin("pia").login)
            let token = try await client.apiToken("pia")
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            for uri in ["/runners/\(fixture.ben)", "/sessions/\(fixture.benSession)", "/sessions/999999", "/runners/999999"] {
                let page = try await client.execute(uri: uri, method: .get, headers: login.headers)
                #expect(page.status == .notFound, "\(uri)")
            }
            // Forbidden and missing ids look the same: nothing to learn from guessing.
            let other = try await client.execute(uri: "/api/v1/sessions/\(fixture.benSession)", method: .get, headers: bearer)
            let missing = try await client.execute(uri: "/api/v1/sessions/999999", method: .get, headers: bearer)
            #expect(other.status == .notFound && missing.status == .notFound)
            for id in 1...(fixture.benSession + 3) where !fixture.anaSessions.contains(id) {
                #expect(try await client.execute(uri: "/api/v1/sessions/\(id)", method: .get, headers: bearer).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/sessions/\(id)/pain", method: .get, headers: bearer).status == .notFound)
            }
            let posted = try await client.execute(uri: "/api/v1/sessions/\(fixture.benSession)/pain", method: .post,
                                                  headers: bearer.merging([.contentType: "application/json"]),
                                                  body: ByteBuffer(string: "{\"pain_score\": 3}"))
            #expect(posted.status == .notFound)
            #expect(try fixture.store.painLog(sessionID: fixture.benSession).isEmpty)
            // The runner's own account sees only their own data.
            let runnerToken = try await client.apiToken("ana")
            let runners = try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(runnerToken)"])
            let list = try JSONSerialization.jsonObject(with: Data(buffer: runners.body)) as? [[String: Any]]
            #expect(list?.compactMap { $0["id"] as? Int64 } == [fixture.ana])
        }
    }

    @Test("a login expires after its lifetime, for the cookie and the API token alike")
    func loginsExpire() async throws {
        let fixture = try ServerFixture()
        let clock = TestClock()
        try await fixture.application(lifetimeS: 3600, now: clock.now).test(.router) { client in
            let login = try #require(try await client.browserLogin("pia").login)
            let token = try await client.apiToken("pia")
            clock.advance(3599)
            #expect(try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: login.headers).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            clock.advance(2)
            let page = try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: login.headers)
            #expect(page.status == .seeOther && page.headers[.location] == "/login")
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
        }
    }

    @Test("forms need the login's CSRF token: missing, wrong or another login's token is refused, the right one stores the note")
    func csrfProtectsForms() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            // The runner writes their own pain log (a physiotherapist may not: PainAuthorshipTests).
            let pia = try #require(try await client.browserLogin("ana").login)
            let paul = try #require(try await client.browserLogin("ben").login)
            #expect(!pia.csrf.isEmpty && pia.csrf != paul.csrf)
            let uri = "/sessions/\(fixture.anaSessions[0])/notes"
            #expect(try await client.postForm(uri, ["pain_score": "4"], login: pia).status == .forbidden)
            #expect(try await client.postForm(uri, ["pain_score": "4", "csrf_token": "x"], login: pia).status == .forbidden)
            #expect(try await client.postForm(uri, ["pain_score": "4", "csrf_token": paul.csrf], login: pia).status == .forbidden)
            #expect(try fixture.store.painLog(sessionID: fixture.anaSessions[0]).isEmpty)
            let ok = try await client.postForm(uri, ["pain_score": "4", "location": "lower back", "csrf_token": pia.csrf], login: pia)
            #expect(ok.status == .seeOther)
            #expect(try fixture.store.painLog(sessionID: fixture.anaSessions[0]).map(\.painScore) == [4])
            // Cookie-authenticated API writes need the token in a header.
            let apiWrite = try await client.execute(uri: "/api/v1/sessions/\(fixture.anaSessions[0])/pain", method: .post,
                                                    headers: pia.headers.merging([.contentType: "application/json"]),
                                                    body: ByteBuffer(string: "{\"pain_score\": 2}"))
            #expect(apiWrite.status == .forbidden)
            // Logging out needs the token too, and ends the login.
            #expect(try await client.postForm("/logout", [:], login: pia).status == .forbidden)
            #expect(try await client.postForm("/logout", ["csrf_token": pia.csrf], login: pia).status == .seeOther)
            #expect(try await client.execute(uri: "/", method: .get, headers: pia.headers).status == .seeOther)
        }
    }

    @Test("bad requests get their status and a plain message, never internals")
    func badInput() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            // The runner: only they write their pain log.
            let login = try #require(try await client.browserLogin("ana").login)
            let bearer: HTTPFields = [.authorization: "Bearer \(try await client.apiToken("ana"))", .contentType: "application/json"]
            let session = fixture.anaSessions[0]
            let cases: [(String, HTTPRequest.Method, HTTPFields, String?, HTTPResponse.Status)] = [
                ("/api/v1/sessions/\(session)/pain", .post, bearer, "{\"pain_score\": 11}", .badRequest),
                ("/api/v1/sessions/\(session)/pain", .post, bearer, "{not json", .badRequest),
                ("/api/v1/sessions/\(session)/pain", .post, bearer, "{}", .badRequest),
                ("/api/v1/tokens", .post, [.contentType: "application/json"], "[1,2]", .badRequest),
                ("/api/v1/sessions/abc", .get, bearer, nil, .badRequest),
                ("/api/v1/nothing-here", .get, bearer, nil, .notFound),
                ("/sessions/\(session)/notes", .post, login.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                 "csrf_token=\(login.csrf)&pain_score=eleven", .badRequest),
            ]
            for (uri, method, headers, body, expected) in cases {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                let text = String(buffer: response.body)
                #expect(response.status == expected, "\(method) \(uri): \(response.status) \(text)")
                #expect(!text.contains(".swift") && !text.contains("DecodingError") && !text.contains("Error("), "\(uri): \(text)")
                if uri.hasPrefix("/api/"), response.status != .notFound || !text.isEmpty {
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    #expect(object?["error"] != nil, "\(uri): \(text)")
                }
            }
            let valid = try await client.execute(uri: "/api/v1/sessions/\(session)/pain", method: .post, headers: bearer,
                                                 body: ByteBuffer(string: "{\"pain_score\": 3, \"note\": \"after 20 min\"}"))
            #expect(valid.status == .created)
        }
    }

    @Test("the API gives a session's analysis with its flags, and a runner's trends")
    func apiDocuments() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.live) { client in
            let bearer: HTTPFields = [.authorization: "Bearer \(try await client.apiToken("pia"))"]
            let session = try await client.execute(uri: "/api/v1/sessions/\(fixture.anaSessions[1])", method: .get, headers: bearer)
            #expect(session.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: session.body)) as? [String: Any])
            #expect(document["schema"] as? String == "backstride.analysis/1")
            let flags = try #require(document["flags"] as? [[String: Any]])
            #expect(flags.contains { $0["id"] as? String == "asymmetry.step_time_s" })
            let runner = try await client.execute(uri: "/api/v1/runners/\(fixture.ana)", method: .get, headers: bearer)
            let detail = try #require(try JSONSerialization.jsonObject(with: Data(buffer: runner.body)) as? [String: Any])
            #expect((detail["sessions"] as? [Any])?.count == 2)
            #expect((detail["trends"] as? [String: Any])?["session_count"] as? Int == 2)
        }
    }

    @Test("a runner grants and withdraws a physiotherapist's access")
    func runnerGrantsAccess() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let paul = try #require(try await client.browserLogin("paul").login)
            #expect(try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: paul.headers).status == .notFound)
            #expect(try await client.postForm("/account/grants", ["physio": "paul", "csrf_token": ana.csrf], login: ana).status == .seeOther)
            #expect(try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: paul.headers).status == .ok)
            #expect(try await client.postForm("/account/grants/revoke", ["physio": "paul", "csrf_token": ana.csrf], login: ana).status == .seeOther)
            #expect(try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: paul.headers).status == .notFound)
            // A physiotherapist has no grants page, and a runner cannot grant to a non-physiotherapist.
            #expect(try await client.execute(uri: "/account", method: .get, headers: paul.headers).status == .notFound)
            #expect(try await client.postForm("/account/grants", ["physio": "ana", "csrf_token": ana.csrf], login: ana).status == .badRequest)
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var copy = self
        for field in other { copy[field.name] = field.value }
        return copy
    }
}
