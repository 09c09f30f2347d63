import Foundation
import Hummingbird
import SessionStore

/// Finds the login behind a request: the `backstride_session` cookie (browser) or an
/// `Authorization: Bearer` token (API); expired or unknown tokens count as not logged in.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let store: any SessionStore
    let now: @Sendable () -> Date

    static let cookieName = "backstride_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.arrivedAt = now()
        var token: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if let cookie = request.cookies[Self.cookieName]?.value {
            token = cookie
            context.authenticatedByCookie = true
        }
        if let token, token.count == 64 {
            let hash = LoginTokens.hash(token)
            let time = context.arrivedAt
            if let found = try await store.run({ try $0.loginSession(tokenHash: hash, now: time) }) {
                context.account = found.account
                context.loginSession = found.session
            }
        }
        if context.account == nil { context.authenticatedByCookie = false }
        return try await next(request, context)
    }
}
