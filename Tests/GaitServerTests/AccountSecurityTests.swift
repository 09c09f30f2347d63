import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// Accounts: changing the password, logging out everywhere, and user names that cannot be
/// mistaken for each other.
@Suite("Account security", .serialized)
struct AccountSecurityTests {
    static let newPassword = "a much better passphrase"

    @Test("a user changes their password with the old one (form and API); other logins end, this one stays")
    func passwordChange() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let here = try #require(try await client.browserLogin("ana").login)
            let otherToken = try await client.apiToken("ana")
            let wrong = try await client.postForm("/account/password", ["old_password": "not it at all", "new_password": Self.newPassword, "csrf_token": here.csrf], login: here)
            #expect(wrong.status == .forbidden)
            let short = try await client.postForm("/account/password", ["old_password": ServerFixture.password, "new_password": "short", "csrf_token": here.csrf], login: here)
            #expect(short.status == .badRequest)
            let noCSRF = try await client.postForm("/account/password", ["old_password": ServerFixture.password, "new_password": Self.newPassword], login: here)
            #expect(noCSRF.status == .forbidden)
            let ok = try await client.postForm("/account/password", ["old_password": ServerFixture.password, "new_password": Self.newPassword, "csrf_token": here.csrf], login: here)
            #expect(ok.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(otherToken)"]).status == .unauthorized)
            #expect(try await client.execute(uri: "/account", method: .get, headers: here.headers).status == .ok)
            #expect(try await client.browserLogin("ana").status == .unauthorized)
            #expect(try await client.browserLogin("ana", password: Self.newPassword).status == .seeOther)
            // The API: old and new as JSON, with a bearer token.
            let login = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: "{\"username\":\"ana\",\"password\":\"\(Self.newPassword)\"}"))
            let token = try #require((try JSONSerialization.jsonObject(with: Data(buffer: login.body)) as? [String: Any])?["token"] as? String)
            let change = try await client.execute(uri: "/api/v1/account/password", method: .post,
                                                  headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                  body: ByteBuffer(string: "{\"old_password\":\"\(Self.newPassword)\",\"new_password\":\"\(ServerFixture.password)\"}"))
            #expect(change.status == .noContent)
            #expect(try await client.browserLogin("ana").status == .seeOther)
        }
    }

    @Test("log out everywhere ends every login and API token of the user, and no one else's")
    func logoutEverywhere() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let browser = try #require(try await client.browserLogin("pia").login)
            let token1 = try await client.apiToken("pia"), token2 = try await client.apiToken("pia")
            let paul = try await client.apiToken("paul")
            #expect(try await client.postForm("/account/logout-everywhere", [:], login: browser).status == .forbidden)
            let done = try await client.execute(uri: "/api/v1/account/logout-everywhere", method: .post, headers: [.authorization: "Bearer \(token1)"])
            #expect(done.status == .noContent)
            for token in [token1, token2] {
                #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
            }
            #expect(try await client.execute(uri: "/", method: .get, headers: browser.headers).status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(paul)"]).status == .ok)
            // The form does the same.
            let again = try #require(try await client.browserLogin("pia").login)
            let token3 = try await client.apiToken("pia")
            #expect(try await client.postForm("/account/logout-everywhere", ["csrf_token": again.csrf], login: again).status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(token3)"]).status == .unauthorized)
        }
    }

    @Test("user names are compared normalised: PIA and ｐｉａ log in as pia")
    func namesAreNormalised() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let upper = try await client.browserLogin("PIA").status
            let fullWidth = try await client.browserLogin("%EF%BD%90%EF%BD%89%EF%BD%81").status
            #expect(upper == .seeOther)
            #expect(fullWidth == .seeOther)
        }
    }
}
