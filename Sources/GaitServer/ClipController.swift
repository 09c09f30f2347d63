import Foundation
import Hummingbird
import SessionIngest
import SessionStore

/// The "Clips" page. A runner claims a clip by the serial printed on it: every session synced
/// from it is then theirs. A clip another runner owns is refused (409) without naming the owner;
/// an administrator sees every clip and gives or moves one to any runner.
struct ClipController: Sendable {
    let store: any SessionStore
    var access: Access { Access(store: store) }

    func add(to router: Router<ServerRequestContext>) {
        router.get("/clips") { _, context in try await clipsPage(context) }
        router.post("/clips/claim") { request, context in try await claim(request, context) }
        router.post("/clips/release") { request, context in try await release(request, context) }
        router.post("/clips/assign") { request, context in try await assign(request, context) }
    }

    func clipsPage(_ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let csrf = HTML.escape(context.loginSession?.csrfToken ?? "")
        switch account.role {
        case .runner:
            guard let runnerID = account.runnerId else { throw HTTPError(.notFound, message: "No such page.") }
            let clips = try await store.run { try $0.clips(runnerID: runnerID) }
            let rows = clips.map { clip in
                "<tr><td>\(HTML.escape(clip.serial))</td><td>\(HTML.escape(clip.firmware ?? "—"))</td><td><form method=\"post\" action=\"/clips/release\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"\(csrf)\"><input type=\"hidden\" name=\"serial\" value=\"\(HTML.escape(clip.serial))\"><button>Not mine any more</button></form></td></tr>"
            }
            return HTML.page(title: "Clips", account: account, csrf: context.loginSession?.csrfToken, body: """
                <h1>Your clips</h1>
                <p class="note">Every session synced from your clip is yours, in your current shoes.</p>
                \(rows.isEmpty ? "<p>You have no clip yet.</p>" : "<table><tr><th>Serial</th><th>Firmware</th><th></th></tr>\(rows.joined())</table>")
                <form class="box" method="post" action="/clips/claim">
                <input type="hidden" name="csrf_token" value="\(csrf)">
                <label>Serial printed on the clip <input name="serial" required maxlength="64" placeholder="BSC-0001"></label>
                <button>This clip is mine</button>
                </form>
                """)
        case .admin:
            let (clips, runners) = try await store.run { store in (try store.clips(runnerID: nil), try store.runners()) }
            let names = Dictionary(runners.compactMap { r in r.id.map { ($0, r.name) } }, uniquingKeysWith: { a, _ in a })
            let rows = clips.map { clip in
                "<tr><td>\(HTML.escape(clip.serial))</td><td>\(HTML.escape(clip.firmware ?? "—"))</td><td>\(clip.runnerId.flatMap { names[$0] }.map(HTML.escape) ?? "<em>nobody</em>")</td></tr>"
            }
            let options = runners.compactMap { r in r.id.map { "<option value=\"\($0)\">\(HTML.escape(r.name))</option>" } }
            return HTML.page(title: "Clips", account: account, csrf: context.loginSession?.csrfToken, body: """
                <h1>Clips</h1>
                \(rows.isEmpty ? "<p>No clip has been seen or claimed yet.</p>" : "<table><tr><th>Serial</th><th>Firmware</th><th>Owner</th></tr>\(rows.joined())</table>")
                <form class="box" method="post" action="/clips/assign">
                <input type="hidden" name="csrf_token" value="\(csrf)">
                <label>Serial <input name="serial" required maxlength="64"></label>
                <label>Owner <select name="runner"><option value="">nobody</option>\(options.joined())</select></label>
                <label><input type="checkbox" name="move" value="yes"> Move it even if another runner owns it</label>
                <button>Give the clip</button>
                </form>
                """)
        case .physio:
            throw HTTPError(.notFound, message: "No such page.")
        }
    }

    struct ClipForm: Decodable {
        var csrf_token: String?
        var serial: String
        var runner: String?
        var move: String?
    }

    /// A runner claims a clip: theirs from now on, unless another runner owns it (409).
    func claim(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let form = try await Access.form(ClipForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard account.role == .runner, let runnerID = account.runnerId else { throw HTTPError(.notFound, message: "No such page.") }
        try await assignClip(serial: form.serial, runnerID: runnerID, move: false, byAdministrator: false)
        return Response(status: .seeOther, headers: [.location: "/clips"])
    }

    /// A runner gives up a clip they own (sold, lost): its next sessions are nobody's.
    func release(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let form = try await Access.form(ClipForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard account.role == .runner, let runnerID = account.runnerId else { throw HTTPError(.notFound, message: "No such page.") }
        let serial = form.serial
        guard let clip = try await store.run({ try $0.clip(serial: serial) }), clip.runnerId == runnerID else {
            throw HTTPError(.notFound, message: "You have no clip \(serial).")
        }
        try await assignClip(serial: serial, runnerID: nil, move: true, byAdministrator: false)
        return Response(status: .seeOther, headers: [.location: "/clips"])
    }

    /// An administrator gives a clip to a runner (or to nobody), moving it when asked.
    func assign(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try access.administrator(context)
        let form = try await Access.form(ClipForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        var runnerID: Int64?
        if let text = form.runner?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let id = Int64(text), try await store.run({ try $0.runner(id: id) }) != nil else {
                throw HTTPError(.notFound, message: "No runner \(text).")
            }
            runnerID = id
        }
        try await assignClip(serial: form.serial, runnerID: runnerID, move: form.move == "yes", byAdministrator: true)
        return Response(status: .seeOther, headers: [.location: "/clips"])
    }

    func assignClip(serial: String, runnerID: Int64?, move: Bool, byAdministrator: Bool) async throws {
        do {
            _ = try await store.run { try $0.assignClip(serial: serial, runnerID: runnerID, moveFromAnotherRunner: move) }
        } catch let error as SessionStoreError {
            switch error {
            case .clipOwnedByAnotherRunner(let serial, let owner):
                // A runner is not told who owns it (serials are printed on clips; names are private).
                throw HTTPError(.conflict, message: byAdministrator
                    ? "Clip \(serial) belongs to \(owner); tick \"move it\" to give it to another runner."
                    : "Clip \(serial) belongs to another runner. If it is yours, ask your administrator to move it to you.")
            case .invalidValue(let field, let reason):
                throw HTTPError(.badRequest, message: "\(field): \(reason).")
            default:
                throw error
            }
        }
    }
}
