import Foundation
import GaitReport
import Hummingbird
import SessionStore

/// The Devices page: a runner (or a physiotherapist or administrator, for a runner they may see)
/// gets a pairing code for the runner's gaitd, sees the paired devices and revokes one; on a
/// runner's own gaitd that pushes to a clinic, the page also says what is delivered and pending.
struct DevicesPageController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    var access: Access { Access(store: store) }
    var clinic: ClinicController

    func add(to router: Router<ServerRequestContext>) {
        router.get("/devices") { request, context in try await page(request, context) }
        router.post("/devices/pairing-code") { request, context in try await createCode(request, context) }
        router.post("/devices/:id/revoke") { request, context in
            try await revoke(request, context.parameters.require("id", as: Int64.self), context)
        }
    }

    struct RunnerForm: Decodable {
        var csrf_token: String?
        var runner_id: Int64?
    }

    /// The runner the page is about: `runner_id` (one the caller may see), else the caller's own; nil for
    /// a physiotherapist or administrator who named none.
    func runner(_ given: Int64?, _ context: ServerRequestContext) async throws -> RunnerRecord? {
        let account = try access.account(context)
        guard let id = given ?? account.runnerId else { return nil }
        return try await access.runner(id, context)
    }

    func page(_ request: Request, _ context: ServerRequestContext, code: (text: String, expiresAt: Date)? = nil,
              runnerID forced: Int64? = nil) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let given = try forced ?? request.uri.queryParameters["runner_id"].map { text -> Int64 in
            guard let id = Int64(String(text)) else { throw HTTPError(.badRequest, message: "runner_id must be a number.") }
            return id
        }
        let csrf = HTML.escape(context.loginSession?.csrfToken ?? "")
        var body = "<h1>Devices</h1>\n" + (try await pushStatus())
        guard let runner = try await runner(given, context), let runnerID = runner.id else {
            let visible = try await store.run { store in try store.visibleRunnerIDs(accountID: account.id!).sorted().compactMap { try store.runner(id: $0) } }
            body += "<p>Choose the runner whose gaitd you pair:</p><ul>"
            for runner in visible { body += "<li><a href=\"/devices?runner_id=\(runner.id!)\">\(HTML.escape(runner.name))</a></li>" }
            body += "</ul>"
            return HTML.page(title: "Devices", account: account, csrf: context.loginSession?.csrfToken, body: body)
        }
        if let code {
            body += """
                <div class="box"><p>Pairing code for \(HTML.escape(runner.name)) (single use, until \(HTML.escape(UTCDate.minute(code.expiresAt))) UTC):</p>
                <p style="font-size:2em;font-family:monospace;letter-spacing:.1em">\(HTML.escape(code.text))</p>
                <p>On the runner's computer: <code>gait clinic pair \(HTML.escape(Self.siteURL(request))) \(HTML.escape(code.text))</code></p></div>
                """
        }
        let devices = try await store.run { try $0.devices(runnerID: runnerID) }
        body += """
            <form class="box" method="post" action="/devices/pairing-code">
            <input type="hidden" name="csrf_token" value="\(csrf)"><input type="hidden" name="runner_id" value="\(runnerID)">
            <p>Pair \(HTML.escape(runner.name))'s gaitd with this clinic: it then sends every session here.</p>
            <button>Show a pairing code</button></form>
            <h2>Paired devices of \(HTML.escape(runner.name))</h2>
            """
        if devices.isEmpty {
            body += "<p class=\"note\">None yet.</p>"
        } else {
            body += "<table><tr><th>Device</th><th>Paired</th><th>State</th><th></th></tr>"
            for device in devices {
                let state = device.revokedAt.map { "revoked \(UTCDate.minute($0))" }
                    ?? (device.expiresAt <= configuration.now() ? "expired" : "in use until \(UTCDate.minute(device.expiresAt))")
                let button = device.revokedAt == nil ? """
                    <form class="inline" method="post" action="/devices/\(device.id!)/revoke"><input type="hidden" name="csrf_token" value="\(csrf)">\
                    <input type="hidden" name="runner_id" value="\(runnerID)"><button>Revoke</button></form>
                    """ : ""
                body += "<tr><td>\(HTML.escape(device.name))</td><td>\(HTML.escape(UTCDate.minute(device.createdAt)))</td><td>\(HTML.escape(state))</td><td>\(button)</td></tr>"
            }
            body += "</table>"
        }
        return HTML.page(title: "Devices", account: account, csrf: context.loginSession?.csrfToken, body: body)
    }

    /// What this gaitd pushes to its clinic, when it is paired with one.
    func pushStatus() async throws -> String {
        guard let clinic = configuration.pairedClinic() else { return "" }
        let (records, pending) = try await store.run { store in
            (try store.deliveries(clinic: clinic), try store.sessionsAwaitingDelivery(clinic: clinic).count)
        }
        let delivered = records.filter { $0.deliveredAt != nil }.count
        let refused = records.filter { $0.refused && $0.deliveredAt == nil }.count
        var text = "<p>This gaitd sends every session to the clinic <b>\(HTML.escape(clinic))</b>: \(delivered) delivered, \(pending) pending, \(refused) refused.</p>"
        if let last = records.filter({ $0.deliveredAt == nil && $0.lastError != nil }).max(by: { ($0.lastAttemptAt ?? .distantPast) < ($1.lastAttemptAt ?? .distantPast) }),
           let error = last.lastError {
            text += "<p class=\"error\">Last error (session \(last.sessionId)): \(HTML.escape(error))</p>"
        }
        return text
    }

    func createCode(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        let form = try await Access.form(RunnerForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard let runner = try await runner(form.runner_id, context), let runnerID = runner.id else {
            throw HTTPError(.badRequest, message: "Choose the runner first.")
        }
        let (code, record) = try await clinic.newPairingCode(runnerID: runnerID, account: account)
        return try await page(request, context, code: (ClinicController.display(code), record.expiresAt), runnerID: runnerID)
    }

    func revoke(_ request: Request, _ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        let form = try await Access.form(RunnerForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard let runner = try await runner(form.runner_id, context), let runnerID = runner.id else {
            throw HTTPError(.badRequest, message: "Choose the runner first.")
        }
        let now = configuration.now()
        guard try await store.run({ try $0.revokeDevice(id: id, runnerID: runnerID, at: now) }) else {
            throw HTTPError(.notFound, message: "No device \(id) in use for this runner.")
        }
        return Response(status: .seeOther, headers: [.location: "/devices?runner_id=\(runnerID)"])
    }

    /// The site's address as the browser reached it ("https://clinic.example/").
    static func siteURL(_ request: Request) -> String {
        let host = request.head.authority ?? "clinic.example"
        return "https://\(host)/"
    }
}
