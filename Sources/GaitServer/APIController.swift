import Foundation
import GaitDSP
import GaitInference
import Hummingbird
import SessionIngest
import SessionStore

/// The JSON API (`/api/v1`, described in `Docs/openapi.yaml`): tokens, runners, sessions, the
/// analysis with its flags, and the pain log. Clients authenticate with `Authorization: Bearer`;
/// a browser's login cookie works for reading, and for writing only with the `X-CSRF-Token` header.
struct APIController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    let passwords: PasswordCheck
    var cache = RenderCache()
    var access: Access { Access(store: store) }

    func add(to router: Router<ServerRequestContext>) {
        let api = router.group("api/v1")
        api.post("tokens") { request, context in try await createToken(request, context) }
        api.delete("tokens") { request, context in try await deleteToken(request, context) }
        api.get("runners") { _, context in try await runners(context) }
        api.get("runners/:id") { _, context in try await runner(context.parameters.require("id", as: Int64.self), context) }
        api.post("runners/:id/sessions") { request, context in
            try await UploadController(store: store, configuration: configuration).upload(request, context.parameters.require("id", as: Int64.self), context)
        }
        api.get("sessions/:id") { request, context in try await session(context.parameters.require("id", as: Int64.self), request, context) }
        api.post("sessions/:id/watch") { request, context in
            try await UploadController(store: store, configuration: configuration).pairWatch(request, context.parameters.require("id", as: Int64.self), context)
        }
        api.get("sessions/:id/pain") { _, context in try await pain(context.parameters.require("id", as: Int64.self), context) }
        api.post("sessions/:id/pain") { request, context in
            try await addPain(request, context.parameters.require("id", as: Int64.self), context)
        }
        api.post("sessions/:id/notes") { request, context in
            try await addNote(request, context.parameters.require("id", as: Int64.self), context)
        }
        let account = AccountController(store: store, configuration: configuration, passwords: passwords)
        api.post("account/password") { request, context in try await account.changePasswordAPI(request, context) }
        api.post("account/logout-everywhere") { request, context in try await account.logoutEverywhereAPI(request, context) }
        api.get("account/views") { _, context in try await views(context) }
    }

    struct Credentials: Decodable {
        var username: String
        var password: String
    }

    struct Token: Encodable {
        let token: String
        let expiresAt: Date
        let role: String
        enum CodingKeys: String, CodingKey { case token; case expiresAt = "expires_at"; case role }
    }

    func createToken(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let credentials = try await Access.json(Credentials.self, request, context,
                                                usage: "Send {\"username\": ..., \"password\": ...} as JSON.")
        let found: AccountRecord?
        do {
            found = try await passwords.verify(username: credentials.username, password: credentials.password, address: context.clientAddress)
        } catch let refusal as LoginThrottle.Refusal {
            var response = try JSONResponses.error(status: .tooManyRequests, message: refusal.message)
            response.headers.append(contentsOf: PasswordCheck.retryAfterHeaders(refusal))
            return response
        } catch let disabled as PasswordCheck.AccountDisabled {
            throw HTTPError(.forbidden, message: disabled.message)
        }
        guard let account = found else {
            throw HTTPError(.unauthorized, message: "Wrong username or password.")
        }
        let (token, record) = try await AuthController.startSession(store: store, account: account, lifetimeS: configuration.sessionLifetimeS, now: configuration.now())
        return try JSONResponses.json(Token(token: token, expiresAt: record.expiresAt, role: account.role.rawValue), status: .created)
    }

    func deleteToken(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        if let session = context.loginSession { try await store.run { try $0.removeLoginSession(tokenHash: session.tokenHash) } }
        return Response(status: .noContent)
    }

    struct RunnerItem: Encodable {
        let id: Int64
        let name: String
        let sessionCount: Int
        enum CodingKeys: String, CodingKey { case id, name; case sessionCount = "session_count" }
    }

    func runners(_ context: ServerRequestContext) async throws -> Response {
        let account = try access.account(context)
        let items = try await store.run { store -> [RunnerItem] in
            try store.visibleRunnerIDs(accountID: account.id!).sorted().compactMap { id in
                try store.runner(id: id).map { RunnerItem(id: id, name: $0.name, sessionCount: try store.sessions(runnerID: id).count) }
            }
        }
        return try JSONResponses.json(items)
    }

    struct RunnerDetail: Encodable {
        let id: Int64
        let name: String
        let sessions: [SessionFacts]
        let trends: RunnerTrends
    }

    func runner(_ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        let runner = try await access.viewRunner(id, context, what: "runner document (API)")
        let detail = try await store.run { store -> RunnerDetail in
            let history = try store.history(runnerID: id)
            let shoes = try store.shoes(runnerID: id).compactMap { try store.shoeInfo(shoeID: $0.id!) }
            return RunnerDetail(id: id, name: runner.name, sessions: history, trends: RunnerTrends(history: history, shoes: shoes))
        }
        return try JSONResponses.json(detail)
    }

    /// The session's analysis document, encoded once per store revision (550 kB for an hour's
    /// run) and answered 304 to a client that holds the current copy.
    func session(_ id: Int64, _ request: Request, _ context: ServerRequestContext) async throws -> Response {
        _ = try await access.viewSession(id, context, what: "session document (API)")
        let (body, tag) = try await cache.current("session-\(id).api.json", in: store, cost: { $0?.count ?? 0 }) { store in
            try store.storedDocument(sessionID: id).map { try $0.jsonData() }
        }
        guard let body else { throw HTTPError(.notFound, message: "Session \(id) has no analysis yet.") }
        return RenderCache.respond(to: request, tag: tag) {
            Response(status: .ok, headers: JSONResponses.headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    struct PainItem: Codable {
        var id: Int64?
        var painScore: Int?
        var location: String?
        var note: String?
        var recordedAt: Date?
        var nextDay: Bool?
        var symptoms: [String]?
        /// Who wrote it: "pia (physiotherapist)"; absent when not recorded. Ignored when posted.
        var author: String?
        enum CodingKeys: String, CodingKey {
            case id; case painScore = "pain_score"; case location, note; case recordedAt = "recorded_at"
            case nextDay = "next_day"; case symptoms, author
        }

        init(_ entry: PainLogEntry, authors: [Int64: AccountRecord]) {
            id = entry.id; painScore = entry.painScore; location = entry.location; note = entry.note; recordedAt = entry.recordedAt
            nextDay = entry.nextDay; symptoms = entry.symptoms.map(\.rawValue)
            author = entry.authorAccountId.flatMap { authors[$0] }.map { "\($0.username) (\(HTML.roleName($0.role)))" }
        }
    }

    /// The accounts by id (the authors of log entries), in one read.
    static func accountsByID(_ store: some SessionStore) throws -> [Int64: AccountRecord] {
        Dictionary(try store.accounts().compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
    }

    struct ViewItem: Codable {
        var at: Date
        var username: String
        var role: String
        var sessionID: Int64?
        var what: String
        enum CodingKeys: String, CodingKey { case at, username, role; case sessionID = "session_id"; case what }
    }

    /// The runner's audit log: who looked at their data, newest first.
    func views(_ context: ServerRequestContext) async throws -> Response {
        let account = try access.account(context)
        guard account.role == .runner, let runner = account.runnerId else {
            throw HTTPError(.notFound, message: "Only runners have an audit log: it lists who looked at their data.")
        }
        let views = try await store.run { try $0.views(runnerID: runner, limit: 500) }
        return try JSONResponses.json(views.map { ViewItem(at: $0.at, username: $0.username, role: $0.role, sessionID: $0.sessionId, what: $0.what) })
    }

    func pain(_ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        _ = try await access.viewSession(id, context, what: "pain log (API)")
        let (entries, authors) = try await store.run { store in (try store.painLog(sessionID: id), try Self.accountsByID(store)) }
        return try JSONResponses.json(entries.map { PainItem($0, authors: authors) })
    }

    func addPain(_ request: Request, _ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        // Answers 404 for a session the caller may not see, 403 to anyone but its runner.
        let session = try await access.session(id, context)
        let account = try access.account(context)
        guard PageController.writesPainLog(account, session) else { throw PageController.notTheRunnersPainLog }
        let item = try await Access.json(PainItem.self, request, context,
                                         usage: "Send {\"pain_score\": 0–10, \"location\": ..., \"note\": ...} as JSON.")
        var symptoms: [RedFlagSymptom] = []
        for name in item.symptoms ?? [] {
            guard let symptom = RedFlagSymptom(rawValue: name) else {
                throw HTTPError(.badRequest, message: "Unknown symptom '\(name)'; known: \(RedFlagSymptom.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            symptoms.append(symptom)
        }
        let entry = try PageController.painEntry(sessionID: id, score: item.painScore.map(String.init), location: item.location, note: item.note,
                                                 nextDay: item.nextDay ?? false, symptoms: symptoms, authorAccountID: account.id)
        let stored = try await store.run { store -> PainLogEntry in
            // The runner's flags are recomputed (the pain link reads the log).
            try SessionIngest(store: store).logPain(entry)
        }
        return try JSONResponses.json(PainItem(stored, authors: [account.id!: account]), status: .created)
    }

    struct NoteItem: Decodable { var note: String? }

    /// A note of the caller's own on a session (anyone who may see it): text only, shown as
    /// theirs; it changes no flag. The runner's pain goes to `/pain`.
    func addNote(_ request: Request, _ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        _ = try await access.session(id, context)
        let account = try access.account(context)
        let item = try await Access.json(NoteItem.self, request, context, usage: "Send {\"note\": ...} as JSON.")
        let entry = try PageController.ownNote(sessionID: id, note: item.note, author: account)
        let stored = try await store.run { try $0.addPain(entry) }
        return try JSONResponses.json(PainItem(stored, authors: [account.id!: account]), status: .created)
    }
}
