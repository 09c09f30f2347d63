import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// The clinic's administrator manages accounts in the web pages (issue 14): creates them,
/// disables and enables them, sets a new password; nobody else reaches these pages.
@Suite("Administrator's accounts", .serialized)
struct AdminAccountsTests {
    @Test("an administrator creates a physiotherapist, disables them (logins end, the right password is refused with a reason), enables them again")
    func createDisableEnable() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ada = try #require(try await client.browserLogin("ada").login)
            let created = try await client.postForm("/admin/accounts", ["csrf_token": ada.csrf, "username": "petra", "role": "physio",
                                                                        "password": ServerFixture.password], login: ada)
            #expect(created.status == .ok)
            #expect(String(buffer: created.body).contains("Account petra (physiotherapist) created."))
            let petraID = try #require(try fixture.store.account(username: "petra")?.id)

            let petra = try #require(try await client.browserLogin("petra").login)
            #expect(try await client.execute(uri: "/", method: .get, headers: petra.headers).status == .ok)
            let token = try await client.apiToken("petra")

            #expect(try await client.postForm("/admin/accounts/\(petraID)/disable", ["csrf_token": ada.csrf], login: ada).status == .ok)
            // The browser login and the API token ended at once.
            #expect(try await client.execute(uri: "/", method: .get, headers: petra.headers).status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
            // The right password now gets a reason, not a login.
            let (status, login) = try await client.browserLogin("petra")
            #expect(status == .forbidden)
            #expect(login == nil)
            let api = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                                               body: ByteBuffer(string: "{\"username\":\"petra\",\"password\":\"\(ServerFixture.password)\"}"))
            #expect(api.status == .forbidden)
            #expect(String(buffer: api.body).contains("disabled"))

            #expect(try await client.postForm("/admin/accounts/\(petraID)/enable", ["csrf_token": ada.csrf], login: ada).status == .ok)
            #expect(try await client.browserLogin("petra").status == .seeOther)
        }
    }

    @Test("a new password set by the administrator works and ends the user's logins; the old one no longer works")
    func resetPassword() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ada = try #require(try await client.browserLogin("ada").login)
            let pia = try #require(try await client.browserLogin("pia").login)
            let piaID = try #require(try fixture.store.account(username: "pia")?.id)
            let short = try await client.postForm("/admin/accounts/\(piaID)/password", ["csrf_token": ada.csrf, "password": "short"], login: ada)
            #expect(short.status == .badRequest)
            let reset = try await client.postForm("/admin/accounts/\(piaID)/password", ["csrf_token": ada.csrf, "password": "a new long password"], login: ada)
            #expect(reset.status == .ok)
            #expect(try await client.execute(uri: "/", method: .get, headers: pia.headers).status == .seeOther)
            #expect(try await client.browserLogin("pia").status == .unauthorized)
            #expect(try await client.browserLogin("pia", password: "a new long password").status == .seeOther)
        }
    }

    @Test("physiotherapists and runners get 404 on the pages and the forms; the form needs its CSRF token; an admin cannot disable themselves")
    func onlyAdministrators() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let piaID = try #require(try fixture.store.account(username: "pia")?.id)
            for user in ["pia", "ana"] {
                let login = try #require(try await client.browserLogin(user).login)
                #expect(try await client.execute(uri: "/admin/accounts", method: .get, headers: login.headers).status == .notFound)
                #expect(try await client.postForm("/admin/accounts/\(piaID)/disable", ["csrf_token": login.csrf], login: login).status == .notFound)
            }
            let ada = try #require(try await client.browserLogin("ada").login)
            #expect(try await client.postForm("/admin/accounts/\(piaID)/disable", ["csrf_token": "forged"], login: ada).status == .forbidden)
            let adaID = try #require(try fixture.store.account(username: "ada")?.id)
            #expect(try await client.postForm("/admin/accounts/\(adaID)/disable", ["csrf_token": ada.csrf], login: ada).status == .badRequest)
            #expect(try fixture.store.account(id: piaID)?.disabledAt == nil)
            let page = String(buffer: try await client.execute(uri: "/admin/accounts", method: .get, headers: ada.headers).body)
            #expect(page.contains("pia") && page.contains("physiotherapist") && page.contains("Create account"))
        }
    }
}
