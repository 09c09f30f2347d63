import Foundation
import GaitReport
import Hummingbird
import SessionStore

/// The administrator's account pages (issue 14, "Accounts for a clinic"): list every account,
/// create one, disable or enable it, and set a new password for a user who lost theirs. Other
/// accounts are answered 404, as for any page they may not see.
struct AdminAccountsController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    var access: Access { Access(store: store) }

    func add(to router: Router<ServerRequestContext>) {
        router.get("/admin/accounts") { _, context in try await accountsPage(context, message: nil) }
        router.post("/admin/accounts") { request, context in try await create(request, context) }
        router.post("/admin/accounts/:id/disable") { request, context in
            try await setDisabled(true, context.parameters.require("id", as: Int64.self), request, context)
        }
        router.post("/admin/accounts/:id/enable") { request, context in
            try await setDisabled(false, context.parameters.require("id", as: Int64.self), request, context)
        }
        router.post("/admin/accounts/:id/password") { request, context in
            try await resetPassword(context.parameters.require("id", as: Int64.self), request, context)
        }
    }

    func accountsPage(_ context: ServerRequestContext, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        let admin = try access.administrator(context)
        let (accounts, runners) = try await store.run { store in
            (try store.accounts(), Dictionary(try store.runners().compactMap { r in r.id.map { ($0, r.name) } }, uniquingKeysWith: { a, _ in a }))
        }
        let csrf = HTML.escape(context.loginSession?.csrfToken ?? "")
        func form(_ action: String, _ label: String, extra: String = "") -> String {
            "<form method=\"post\" action=\"\(action)\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"\(csrf)\">\(extra)<button>\(label)</button></form>"
        }
        let rows = accounts.map { account -> String in
            let id = account.id ?? 0
            let runner = account.runnerId.flatMap { runners[$0] }.map(HTML.escape) ?? ""
            let state = account.disabledAt.map { "disabled \(UTCDate.minute($0))" } ?? "active"
            var actions: [String] = []
            if account.id != admin.id {
                actions.append(account.disabledAt == nil ? form("/admin/accounts/\(id)/disable", "Disable") : form("/admin/accounts/\(id)/enable", "Enable"))
            }
            actions.append(form("/admin/accounts/\(id)/password", "Set password",
                                extra: "<input name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"10\" required aria-label=\"New password for \(HTML.escape(account.username))\"> "))
            return "<tr><td>\(HTML.escape(account.username))</td><td>\(HTML.roleName(account.role))</td><td>\(runner)</td>"
                + "<td>\(UTCDate.minute(account.createdAt))</td><td>\(state)</td><td>\(actions.joined(separator: " "))</td></tr>"
        }
        return HTML.page(title: "Accounts", status: status, account: admin, csrf: context.loginSession?.csrfToken, body: """
            <h1>Accounts</h1>
            \(message.map { "<p class=\"message\">\(HTML.escape($0))</p>" } ?? "")
            <table><tr><th>Username</th><th>Role</th><th>Runner</th><th>Created</th><th>State</th><th></th></tr>\(rows.joined(separator: "\n"))</table>
            <h2>New account</h2>
            <form class="box" method="post" action="/admin/accounts">
            <input type="hidden" name="csrf_token" value="\(csrf)">
            <label>Username <input name="username" required maxlength="64"></label>
            <label>Role <select name="role"><option value="physio">physiotherapist</option><option value="runner">runner</option><option value="admin">administrator</option></select></label>
            <label>Runner (for a runner account; added if new) <input name="runner" maxlength="200"></label>
            <label>Password (at least 10 characters; the user changes it on their Password page) <input name="password" type="password" autocomplete="new-password" minlength="10" required></label>
            <button>Create account</button>
            </form>
            """)
    }

    struct NewAccountForm: Decodable {
        var csrf_token: String?
        var username: String
        var role: String
        var runner: String?
        var password: String
    }

    func create(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try access.administrator(context)
        let form = try await Access.form(NewAccountForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard let role = AccountRecord.Role(rawValue: form.role) else {
            return try await accountsPage(context, message: "Choose a role: physio, runner or admin.", status: .badRequest)
        }
        guard form.password.count >= 10 else {
            return try await accountsPage(context, message: GaitServer.PasswordError.tooShort.description, status: .badRequest)
        }
        let runnerName = form.runner?.trimmingCharacters(in: .whitespaces) ?? ""
        if role == .runner && runnerName.isEmpty {
            return try await accountsPage(context, message: "A runner account needs its runner's name.", status: .badRequest)
        }
        let hash = try await PasswordHasher.hash(form.password, cost: configuration.passwordHashCost)
        do {
            let created = try await store.run { store -> AccountRecord in
                let runnerID = role == .runner ? try store.runner(named: runnerName, create: true)?.id : nil
                return try store.addAccount(AccountRecord(username: form.username, role: role, passwordHash: hash, runnerId: runnerID))
            }
            return try await accountsPage(context, message: "Account \(created.username) (\(HTML.roleName(role))) created.")
        } catch let error as SessionStoreError {
            return try await accountsPage(context, message: "Not created: \(error)", status: .badRequest)
        }
    }

    struct ActionForm: Decodable {
        var csrf_token: String?
        var password: String?
    }

    func setDisabled(_ disabled: Bool, _ id: Int64, _ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        let admin = try access.administrator(context)
        let form = try await Access.form(ActionForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard id != admin.id else {
            return try await accountsPage(context, message: "You cannot disable your own account.", status: .badRequest)
        }
        guard let account = try await store.run({ try $0.account(id: id) }) else { throw HTTPError(.notFound, message: "No account \(id).") }
        try await store.run { try $0.setAccountDisabled(accountID: id, disabled: disabled, at: configuration.now()) }
        return try await accountsPage(context, message: disabled
            ? "\(account.username) is disabled: their logins have ended and they cannot log in."
            : "\(account.username) may log in again.")
    }

    func resetPassword(_ id: Int64, _ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try access.administrator(context)
        let form = try await Access.form(ActionForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard let password = form.password, password.count >= 10 else {
            return try await accountsPage(context, message: GaitServer.PasswordError.tooShort.description, status: .badRequest)
        }
        guard let account = try await store.run({ try $0.account(id: id) }) else { throw HTTPError(.notFound, message: "No account \(id).") }
        let hash = try await PasswordHasher.hash(password, cost: configuration.passwordHashCost)
        // Every login of the account ends: whoever knew the old password is out.
        try await store.run { try $0.changePasswordHash(accountID: id, passwordHash: hash, keepingTokenHash: nil) }
        return try await accountsPage(context, message: "New password set for \(account.username); their logins have ended.")
    }
}
