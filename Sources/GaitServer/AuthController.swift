import Foundation
import Hummingbird
import HummingbirdBcrypt
import SessionStore

/// Logging in and out: the login form (CSRF by a double-submit cookie, since there is no session
/// yet), bcrypt password checks, and the login cookie.
struct AuthController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration

    static let loginCSRFCookie = "backstride_login_csrf"
    /// A hash to check against when the username does not exist, so both failures take as long.
    static let dummyHash = Bcrypt.hash("not a password", cost: 4)

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
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    struct LoginForm: Decodable {
        var username: String
        var password: String
        var csrf_token: String
    }

    /// Checks a username and password; the account when they match.
    static func verify(store: any SessionStore, username: String, password: String) async throws -> AccountRecord? {
        let account = try await store.run { try $0.account(username: username) }
        let ok = Bcrypt.verify(password, hash: account?.passwordHash ?? dummyHash)
        return ok ? account : nil
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
        guard let account = try await Self.verify(store: store, username: form.username, password: form.password) else {
            return loginPage(error: "Wrong username or password.", context: context, status: .unauthorized)
        }
        let (token, _) = try await Self.startSession(store: store, account: account, lifetimeS: configuration.sessionLifetimeS, now: configuration.now())
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: token, maxAge: Int(configuration.sessionLifetimeS),
                                  path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
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
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
