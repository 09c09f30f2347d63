import Foundation
import Hummingbird
import SessionStore

/// A user's own account: changing the password (the old one and a new one; every other login of
/// the account ends) and "log out everywhere" (every browser login and API token of the account
/// ends, this one too), as pages and in the API.
struct AccountController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    let passwords: PasswordCheck
    var access: Access { Access(store: store) }

    func add(to router: Router<ServerRequestContext>) {
        router.get("/account/password") { _, context in try settingsPage(context, message: nil) }
        router.post("/account/password") { request, context in try await changePasswordForm(request, context) }
        router.post("/account/logout-everywhere") { request, context in try await logoutEverywhereForm(request, context) }
        // The API's routes (`/api/v1/account/...`) are registered by APIController, with the others.
    }

    func settingsPage(_ context: ServerRequestContext, message: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let csrf = HTML.escape(context.loginSession?.csrfToken ?? "")
        return HTML.page(title: "Password and logins", status: status, account: account, csrf: context.loginSession?.csrfToken, body: """
            <h1>Password and logins</h1>
            \(message.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form class="box" method="post" action="/account/password">
            <input type="hidden" name="csrf_token" value="\(csrf)">
            <input type="hidden" name="username" value="\(HTML.escape(account.username))" autocomplete="username">
            <label>Current password <input name="old_password" type="password" autocomplete="current-password" required></label>
            <label>New password (at least 10 characters) <input name="new_password" type="password" autocomplete="new-password" minlength="10" required></label>
            <button>Change the password</button>
            <p class="note">Your other logins (other browsers, API tokens) end; this one stays.</p>
            </form>
            <form class="box" method="post" action="/account/logout-everywhere">
            <input type="hidden" name="csrf_token" value="\(csrf)">
            <p>Lost a device, or logged in somewhere you should not have? End every login of this account: every browser and every API token, this one too.</p>
            <button>Log out everywhere</button>
            </form>
            """)
    }

    struct PasswordForm: Decodable {
        var csrf_token: String?
        var old_password: String
        var new_password: String
    }

    func changePasswordForm(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        let form = try await Access.form(PasswordForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        do {
            try await changePassword(old: form.old_password, new: form.new_password, context)
        } catch let refusal as LoginThrottle.Refusal {
            var response = try settingsPage(context, message: refusal.message, status: .tooManyRequests)
            response.headers.append(contentsOf: PasswordCheck.retryAfterHeaders(refusal))
            return response
        } catch let error as HTTPError {
            return try settingsPage(context, message: error.body, status: error.status)
        }
        return try settingsPage(context, message: "Your password is changed; your other logins have ended.")
    }

    struct PasswordChange: Decodable {
        var oldPassword: String
        var newPassword: String
        enum CodingKeys: String, CodingKey { case oldPassword = "old_password"; case newPassword = "new_password" }
    }

    func changePasswordAPI(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        let change = try await Access.json(PasswordChange.self, request, context, usage: "Send {\"old_password\": ..., \"new_password\": ...} as JSON.")
        do {
            try await changePassword(old: change.oldPassword, new: change.newPassword, context)
        } catch let refusal as LoginThrottle.Refusal {
            var response = try JSONResponses.error(status: .tooManyRequests, message: refusal.message)
            response.headers.append(contentsOf: PasswordCheck.retryAfterHeaders(refusal))
            return response
        }
        return Response(status: .noContent)
    }

    /// Checks the old password (rate-limited like a login), hashes the new one on the hashing pool,
    /// stores it and ends every other login of the account.
    func changePassword(old: String, new: String, _ context: ServerRequestContext) async throws {
        let account = try access.account(context)
        guard new.count >= 10 else { throw HTTPError(.badRequest, message: GaitServer.PasswordError.tooShort.description) }
        guard try await passwords.verify(username: account.username, password: old, address: context.clientAddress)?.id == account.id else {
            throw HTTPError(.forbidden, message: "The current password is wrong.")
        }
        let hash = try await PasswordHasher.hash(new, cost: configuration.passwordHashCost)
        let keep = context.loginSession?.tokenHash
        try await store.run { try $0.changePasswordHash(accountID: account.id!, passwordHash: hash, keepingTokenHash: keep) }
    }

    struct LogoutForm: Decodable { var csrf_token: String? }

    func logoutEverywhereForm(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let form = try await Access.form(LogoutForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        _ = try await store.run { try $0.removeLoginSessions(accountID: account.id!) }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                                  secure: configuration.outsideIsHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    func logoutEverywhereAPI(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        let account = try access.account(context)
        _ = try await store.run { try $0.removeLoginSessions(accountID: account.id!) }
        return Response(status: .noContent)
    }
}
