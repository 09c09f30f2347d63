import Foundation
import Hummingbird
import SessionStore

/// Logging in and out: the login form (CSRF by a double-submit cookie, since there is no session
/// yet), bcrypt password checks, and the login cookie.
struct AuthController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    let passwords: PasswordCheck

    static let loginCSRFCookie = "backstride_login_csrf"

    func add(to router: Router<ServerRequestContext>) {
        router.get("/login") { _, context in loginPage(error: nil, context: context) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
    }

    func loginPage(error: String?, context: ServerRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let token = LoginTokens.random()
        var response = HTML.page(title: "Log in", status: status, account: nil, body: """
            <h1>Log in</h1>
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form class="box" method="post" action="/login">
            <input type="hidden" name="csrf_token" value="\(token)">
            <label>Username <input name="username" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button>Log in</button>
            </form>
            """)
        response.setCookie(Cookie(name: Self.loginCSRFCookie, value: token, maxAge: 3600, path: "/login",
                                  secure: configuration.outsideIsHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    struct LoginForm: Decodable {
        var username: String
        var password: String
        var csrf_token: String
    }

    /// Starts a login session; returns the token the client holds and the record.
    static func startSession(store: any SessionStore, account: AccountRecord, lifetimeS: Double, now: Date) async throws -> (String, LoginSessionRecord) {
        let token = LoginTokens.random()
        let record = LoginSessionRecord(tokenHash: LoginTokens.hash(token), accountId: account.id!, csrfToken: LoginTokens.random(),
                                        expiresAt: now.addingTimeInterval(lifetimeS))
        try await store.run { try $0.addLoginSession(record) }
        return (token, record)
    }

    func login(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let form = try await Access.form(LoginForm.self, request, context)
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, LoginTokens.equalInConstantTime(cookie, form.csrf_token) else {
            return loginPage(error: "The login form expired; please try again.", context: context, status: .forbidden)
        }
        let found: AccountRecord?
        do {
            found = try await passwords.verify(username: form.username, password: form.password, address: context.clientAddress)
        } catch let refusal as LoginThrottle.Refusal {
            var response = loginPage(error: refusal.message, context: context, status: .tooManyRequests)
            response.headers.append(contentsOf: PasswordCheck.retryAfterHeaders(refusal))
            return response
        } catch let disabled as PasswordCheck.AccountDisabled {
            return loginPage(error: disabled.message, context: context, status: .forbidden)
        }
        guard let account = found else {
            return loginPage(error: "Wrong username or password.", context: context, status: .unauthorized)
        }
        let (token, _) = try await Self.startSession(store: store, account: account, lifetimeS: configuration.sessionLifetimeS, now: configuration.now())
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: token, maxAge: Int(configuration.sessionLifetimeS),
                                  path: "/", secure: configuration.outsideIsHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    struct LogoutForm: Decodable { var csrf_token: String? }

    func logout(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let form = try await Access.form(LogoutForm.self, request, context)
        try Access(store: store).checkCSRF(form.csrf_token, context)
        if let session = context.loginSession {
            try await store.run { try $0.removeLoginSession(tokenHash: session.tokenHash) }
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                                  secure: configuration.outsideIsHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }
}
