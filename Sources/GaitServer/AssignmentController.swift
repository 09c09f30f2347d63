import Foundation
import GaitReport
import Hummingbird
import SessionIngest
import SessionStore

/// Who ran a session and in which shoes, on the web: the administrator's page of sessions nobody
/// has been given yet (a clip without an owner), giving a session to a runner, correcting one
/// session's shoes, and a runner's current shoes. Every change goes through `SessionIngest`,
/// which recomputes the flags it touches (that session, the runner's later ones, the shoe's trend).
struct AssignmentController: Sendable {
    let store: any SessionStore
    var access: Access { Access(store: store) }

    func add(to router: Router<ServerRequestContext>) {
        router.get("/admin/unassigned") { _, context in try await unassignedPage(context) }
        router.post("/sessions/:id/runner") { request, context in
            try await giveSession(request, context.parameters.require("id", as: Int64.self), context)
        }
        router.post("/sessions/:id/shoe") { request, context in
            try await correctShoe(request, context.parameters.require("id", as: Int64.self), context)
        }
        router.post("/runners/:id/shoes/current") { request, context in
            try await useShoe(request, context.parameters.require("id", as: Int64.self), context)
        }
    }

    func unassignedPage(_ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        let account = try access.administrator(context)
        let (sessions, runners, clips) = try await store.run { store in
            (try store.sessions(limit: 500, filter: .unassigned), try store.runners(), try store.clips(runnerID: nil).filter { $0.runnerId == nil })
        }
        let csrf = context.loginSession?.csrfToken ?? ""
        let rows = sessions.map { s in
            """
            <tr><td><a href="/sessions/\(s.id)">\(s.id)</a></td><td>\(s.startedAt.map(UTCDate.minute) ?? "unknown")</td>\
            <td>\(String(format: "%.0f", s.durationS / 60)) min</td><td>\(HTML.escape(s.origin ?? "—"))</td>\
            <td>\(s.stepCount.map(String.init) ?? "—")</td><td>\(Self.runnerForm(sessionID: s.id, runners: runners, csrf: csrf))</td></tr>
            """
        }
        let clipList = clips.map { "<li>\(HTML.escape($0.serial))</li>" }
        return HTML.page(title: "Unassigned sessions", account: account, csrf: context.loginSession?.csrfToken, body: """
            <h1>Sessions nobody has been given</h1>
            <p class="note">Sessions from a clip without an owner are stored and analysed; given to a runner, their flags are computed against that runner's history.</p>
            \(rows.isEmpty ? "<p>None: every session belongs to a runner.</p>" : """
            <table><tr><th>Session</th><th>Start</th><th>Length</th><th>From</th><th>Steps</th><th>Give to</th></tr>
            \(rows.joined(separator: "\n"))</table>
            """)
            <h2>Clips without an owner</h2>
            \(clipList.isEmpty ? "<p>None.</p>" : "<ul>\(clipList.joined())</ul><p><a href=\"/clips\">Give a clip to a runner</a> so that its next sessions are theirs.</p>")
            """)
    }

    /// The administrator's "give to runner" form for one session.
    static func runnerForm(sessionID: SessionID, runners: [RunnerRecord], csrf: String) -> String {
        let options = runners.compactMap { r in r.id.map { "<option value=\"\($0)\">\(HTML.escape(r.name))</option>" } }
        return """
            <form method="post" action="/sessions/\(sessionID)/runner" class="inline"><input type="hidden" name="csrf_token" value="\(HTML.escape(csrf))">\
            <select name="runner" aria-label="Runner">\(options.joined())</select> <button>Give</button></form>
            """
    }

    struct RunnerForm: Decodable {
        var csrf_token: String?
        var runner: String
    }

    /// An administrator gives a session to a runner (its flags, and the runner's later ones, are recomputed).
    func giveSession(_ request: Request, _ id: SessionID, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try access.administrator(context)
        let form = try await Access.form(RunnerForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        _ = try await access.session(id, context)
        guard let runnerID = Int64(form.runner), let runner = try await store.run({ try $0.runner(id: runnerID) }) else {
            throw HTTPError(.notFound, message: "No runner \(form.runner).")
        }
        try await ingest { try $0.assign(sessionID: id, runner: runner.name, shoe: nil) }
        return Response(status: .seeOther, headers: [.location: "/sessions/\(id)"])
    }

    struct ShoeForm: Decodable {
        var csrf_token: String?
        var shoe: String
        var distance_so_far_km: String?
    }

    /// Corrects the shoes of one session (the shoe's trend and the session's flags are recomputed).
    func correctShoe(_ request: Request, _ id: SessionID, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        let session = try await access.session(id, context)
        let form = try await Access.form(ShoeForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard session.runnerId != nil else { throw HTTPError(.badRequest, message: "Give session \(id) to a runner first.") }
        let name = try Self.shoeName(form.shoe)
        try await ingest { try $0.assign(sessionID: id, runner: nil, shoe: name) }
        return Response(status: .seeOther, headers: [.location: "/sessions/\(id)"])
    }

    /// The runner's current shoes: sessions stored from now on get them.
    func useShoe(_ request: Request, _ runnerID: Int64, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try await access.runner(runnerID, context)
        let form = try await Access.form(ShoeForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        let name = try Self.shoeName(form.shoe)
        var distance: Double?
        if let text = form.distance_so_far_km?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let km = Double(text), km.isFinite, (0...100_000).contains(km) else {
                throw HTTPError(.badRequest, message: "Distance so far must be a number of kilometres from 0 to 100000, got '\(text)'.")
            }
            distance = km
        }
        let distanceSoFarKm = distance
        _ = try await ingest { try $0.useShoe(runnerID: runnerID, name: name, distanceSoFarKm: distanceSoFarKm) }
        return Response(status: .seeOther, headers: [.location: "/runners/\(runnerID)"])
    }

    static func shoeName(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count), !name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) else {
            throw HTTPError(.badRequest, message: "Name the shoes in 1 to 100 characters on one line.")
        }
        return name
    }

    /// Runs a SessionIngest change off the cooperative pool; its refusals become 400/404/409.
    @discardableResult
    func ingest<T: Sendable>(_ body: @escaping @Sendable (SessionIngest) throws -> T) async throws -> T {
        do {
            return try await store.run { store in try body(SessionIngest(store: store)) }
        } catch let error as SessionIngestError {
            throw Self.httpError(error)
        }
    }

    /// The HTTP error for a refused change: what is missing is 404, a conflict 409, bad values 400.
    static func httpError(_ error: SessionIngestError) -> any Error {
        switch error {
        case .unreadable(let error): return HTTPError(.badRequest, message: error.description)
        case .watchNotPaired(let error): return HTTPError(.badRequest, message: error.description)
        case .store(let error):
            switch error {
            case .noSuchRunner, .noSuchSession, .noSuchShoe: return HTTPError(.notFound, message: error.description)
            case .clipOwnedByAnotherRunner: return HTTPError(.conflict, message: error.description)
            case .invalidValue: return HTTPError(.badRequest, message: error.description)
            default: return error
            }
        }
    }
}
