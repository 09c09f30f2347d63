import Foundation
import Hummingbird
import SessionStore

/// Who may see what. A physiotherapist sees only runners who granted them access; a runner only
/// themselves; an administrator every runner and the sessions nobody has been given yet. Anything else answers 404 — the same as an id that does not exist — so ids cannot
/// be probed.
struct Access: Sendable {
    let store: any SessionStore

    /// The logged-in account, or 401.
    func account(_ context: ServerRequestContext) throws -> AccountRecord {
        guard let account = context.account else { throw HTTPError(.unauthorized, message: "Log in first.") }
        return account
    }

    /// The runner if this account may see them, else 404.
    func runner(_ id: Int64, _ context: ServerRequestContext) async throws -> RunnerRecord {
        let account = try account(context)
        let visible = try await store.run { try $0.visibleRunnerIDs(accountID: account.id!) }
        guard visible.contains(id), let runner = try await store.run({ try $0.runner(id: id) }) else {
            throw HTTPError(.notFound, message: "No runner \(id) that you may see.")
        }
        return runner
    }

    /// The session if this account may see its runner, else 404.
    func session(_ id: Int64, _ context: ServerRequestContext) async throws -> SessionRecord {
        let account = try account(context)
        let visible = try await store.run { try $0.visibleRunnerIDs(accountID: account.id!) }
        guard let session = try await store.run({ try $0.session(id: id) }),
              session.runnerId.map(visible.contains) ?? (account.role == .admin) else {
            throw HTTPError(.notFound, message: "No session \(id) that you may see.")
        }
        return session
    }

    /// The runner if this account may see them (else 404), with the look recorded in the audit log
    /// when it is not the runner's own: `what` says what was looked at ("runner page").
    func viewRunner(_ id: Int64, _ context: ServerRequestContext, what: String) async throws -> RunnerRecord {
        let runner = try await runner(id, context)
        try await record(runnerID: id, sessionID: nil, what: what, context)
        return runner
    }

    /// The session if this account may see it (else 404), with the look recorded in the audit log
    /// when it is not the runner's own.
    func viewSession(_ id: Int64, _ context: ServerRequestContext, what: String) async throws -> SessionRecord {
        let session = try await session(id, context)
        if let runnerID = session.runnerId { try await record(runnerID: runnerID, sessionID: id, what: what, context) }
        return session
    }

    /// Writes the audit entry of a look by someone other than the runner.
    private func record(runnerID: Int64, sessionID: Int64?, what: String, _ context: ServerRequestContext) async throws {
        let account = try account(context)
        guard account.runnerId != runnerID else { return }
        let view = DataViewRecord(at: context.arrivedAt, accountId: account.id, username: account.username, role: account.role.rawValue,
                                  runnerId: runnerID, sessionId: sessionID, what: what)
        try await store.run { try $0.recordView(view) }
    }

    /// The account if it is an administrator's, else 404 (the page does not exist for others).
    func administrator(_ context: ServerRequestContext) throws -> AccountRecord {
        let account = try account(context)
        guard account.role == .admin else { throw HTTPError(.notFound, message: "No such page.") }
        return account
    }

    /// An unsafe API request: a login is needed, and with the cookie the CSRF token in the
    /// `X-CSRF-Token` header (a bearer token cannot be sent by another site).
    func checkWrite(_ request: Request, _ context: ServerRequestContext) throws {
        _ = try account(context)
        if context.authenticatedByCookie { try checkCSRF(request.headers[.init("X-CSRF-Token")!], context) }
    }

    /// Checks the CSRF token of a form posted with the login cookie (synchroniser token).
    func checkCSRF(_ token: String?, _ context: ServerRequestContext) throws {
        guard let expected = context.loginSession?.csrfToken, let token, LoginTokens.equalInConstantTime(token, expected) else {
            throw HTTPError(.forbidden, message: "The form has expired or did not come from this site; reload the page and try again.")
        }
    }

    /// The request's body as JSON: 415 unless it is sent as `application/json` (a page on another
    /// site can only send `text/plain` or a form without asking first), 413 beyond the limit, 400
    /// with `usage` when it does not decode.
    static func json<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServerRequestContext, usage: String,
                                   limit: Int? = nil) async throws -> T {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw HTTPError(.unsupportedMediaType, message: "Send the body as application/json. \(usage)")
        }
        let buffer = try await request.body.collect(upTo: limit ?? context.maxUploadSize)
        do {
            return try JSONResponses.decoder.decode(T.self, from: Data(buffer: buffer))
        } catch {
            throw HTTPError(.badRequest, message: usage)
        }
    }

    /// The request's body as a form (application/x-www-form-urlencoded).
    static func form<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServerRequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
        } catch {
            throw HTTPError(.badRequest, message: "The form is incomplete or malformed.")
        }
    }
}
