import Foundation
import GaitDSP
import GaitInference
import GaitReport
import Hummingbird
import SessionIngest
import SessionStore

/// The physiotherapist's and runner's pages: runners, a runner's sessions and trends, a session
/// with its flags and pain/notes log, the notes form, and (for runners) who may see their data.
struct PageController: Sendable {
    let store: any SessionStore
    var cache = RenderCache()
    var access: Access { Access(store: store) }

    func add(to router: Router<ServerRequestContext>) {
        router.get("/") { request, context in try await home(request, context) }
        router.get("/runners/:id") { _, context in try await runnerPage(context.parameters.require("id", as: Int64.self), context) }
        router.get("/sessions/:id") { _, context in try await sessionPage(context.parameters.require("id", as: Int64.self), context) }
        router.post("/sessions/:id/notes") { request, context in
            try await addNote(request, context.parameters.require("id", as: Int64.self), context)
        }
        router.post("/runners/:id/alert/clear") { request, context in
            try await clearAlert(request, context.parameters.require("id", as: Int64.self), context)
        }
        router.get("/account") { _, context in try await accountPage(context, message: nil) }
        router.post("/account/grants") { request, context in try await grant(request, context) }
        router.post("/account/grants/revoke") { request, context in try await revoke(request, context) }
        router.get("/account/views") { _, context in try await viewsPage(context) }
    }

    /// "Who looked at my data": the runner's audit log, newest first (the last 500 looks).
    func viewsPage(_ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return Self.loginRedirect() }
        guard account.role == .runner, let runner = account.runnerId else {
            throw HTTPError(.notFound, message: "Only runners have this page: it lists who looked at their data.")
        }
        let views = try await store.run { try $0.views(runnerID: runner, limit: 500) }
        let rows = views.map { view in
            let session = view.sessionId.map { "<a href=\"/sessions/\($0)\">session \($0)</a>" } ?? ""
            let role = AccountRecord.Role(rawValue: view.role).map(HTML.roleName) ?? view.role
            return "<tr><td>\(UTCDate.minute(view.at))</td><td>\(HTML.escape(view.username)) (\(HTML.escape(role)))</td>"
                + "<td>\(HTML.escape(view.what))</td><td>\(session)</td></tr>"
        }
        let table = rows.isEmpty ? "<p>Nobody else has looked at your data.</p>"
            : "<table><tr><th>When (UTC)</th><th>Who</th><th>What</th><th></th></tr>\(rows.joined())</table>"
        return HTML.page(title: "Who looked at your data", account: account, csrf: context.loginSession?.csrfToken, body:
            "<h1>Who looked at your data</h1><p>Every time a physiotherapist or an administrator opens one of your pages, "
            + "reports or documents, it is listed here, newest first.</p>" + table)
    }

    /// Pages need a login: without one they send the browser to the login form.
    static func loginRedirect() -> Response { Response(status: .seeOther, headers: [.location: "/login"]) }

    /// A runner's home is their page; a physiotherapist's or administrator's the dashboard.
    func home(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        try await DashboardController(store: store, cache: cache).dashboard(request, context)
    }

    func runnerPage(_ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return Self.loginRedirect() }
        let runner = try await access.viewRunner(id, context, what: "runner page")
        let history = try await store.run { try $0.history(runnerID: id) }
        let shoes = try await store.run { store in try store.shoes(runnerID: id).compactMap { try store.shoeInfo(shoeID: $0.id!) } }
        let shoeRecords = try await store.run { try $0.shoes(runnerID: id) }
        let csrf = HTML.escape(context.loginSession?.csrfToken ?? "")
        let shoeRows = shoeRecords.map { shoe -> String in
            let recorded = history.filter { $0.shoeKey == shoe.id.map(String.init) }.count
            return "<tr><td>\(HTML.escape(shoe.name))\(shoe.id == runner.currentShoeId ? " <strong>(current)</strong>" : "")</td><td>\(String(format: "%.0f", shoe.distanceSoFarKm)) km</td><td>\(recorded)</td></tr>"
        }
        let trends = RunnerTrends(history: history, shoes: shoes)
        let sessions = history.reversed().map { f -> String in
            let cadence = f.cadenceSpm.map { String(format: "%.0f", $0) } ?? "—"
            return "<tr><td><a href=\"/sessions/\(HTML.escape(f.sessionKey))\">\(f.startedAt.map(UTCDate.minute) ?? "session " + HTML.escape(f.sessionKey))</a></td><td>\(String(format: "%.0f", f.runningTimeS / 60)) min</td><td>\(cadence)</td><td>\(f.painScore.map(String.init) ?? "")</td><td>\(HTML.escape(f.flagIDs.joined(separator: ", ")))</td></tr>"
        }
        let metrics = trends.metrics.filter { !$0.points.isEmpty }.map { m -> String in
            func f(_ v: Double?) -> String { v.map { String(format: abs($0) >= 100 ? "%.0f" : "%.2f", $0) } ?? "—" }
            return "<tr><td>\(HTML.escape(m.words)) (\(HTML.escape(m.unit)))</td><td>\(f(m.median))</td><td>\(f(m.spread))</td><td>\(f(m.slopePer30Days))</td><td>\(f(m.points.last?.value))</td></tr>"
        }
        let banner = try await alertBanner(runnerID: id, csrf: context.loginSession?.csrfToken)
        return HTML.page(title: runner.name, account: context.account, csrf: context.loginSession?.csrfToken, body: """
            \(banner)
            <h1>\(HTML.escape(runner.name))</h1>
            <p><a href="/runners/\(id)/report">Runner report (plots, printable)</a> · <a href="/runners/\(id)/report.csv">CSV</a> · <a href="/runners/\(id)/report.json">JSON</a></p>
            <h2>Sessions</h2>
            <table><tr><th>Session</th><th>Running</th><th>Cadence</th><th>Pain</th><th>Flags</th></tr>
            \(sessions.joined(separator: "\n"))</table>
            <h2>Across sessions</h2>
            <table><tr><th>Measure</th><th>Median</th><th>Spread</th><th>Slope per 30 days</th><th>Latest</th></tr>
            \(metrics.joined(separator: "\n"))</table>
            <h2>Upload a session</h2>
            <form class="box" id="upload" data-action="/api/v1/runners/\(id)/sessions" data-csrf="\(csrf)">
            <p class="note">A CSV from a phone or sensor app, or a clip's <code>.bsession</code> file. It is analysed and its flags computed against \(HTML.escape(runner.name))'s history.</p>
            <label>Session file <input type="file" name="file" required accept=".csv,.txt,.bsession,text/csv"></label>
            <label>Watch file for the same run, if you have one (FIT, GPX or TCX: speed and hills make comparisons fair) <input type="file" name="watch" accept=".fit,.gpx,.tcx"></label>
            <button>Upload</button>
            <progress hidden></progress>
            <p id="upload-status" role="status"></p>
            </form>
            <script src="/static/upload.js"></script>
            <h2>Shoes</h2>
            \(shoeRows.isEmpty ? "<p>No shoes yet.</p>" : "<table><tr><th>Shoes</th><th>Run in them before Backstride</th><th>Sessions recorded</th></tr>\(shoeRows.joined())</table>")
            <form class="box" method="post" action="/runners/\(id)/shoes/current">
            <input type="hidden" name="csrf_token" value="\(csrf)">
            <label>Running in (new sessions get these) <input name="shoe" required maxlength="100" list="shoe-names"></label>
            <datalist id="shoe-names">\(shoeRecords.map { "<option value=\"\(HTML.escape($0.name))\">" }.joined())</datalist>
            <label>Kilometres already run in them (new shoes) <input name="distance_so_far_km" inputmode="decimal"></label>
            <button>Use these shoes</button>
            </form>
            """)
    }

    func sessionPage(_ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return Self.loginRedirect() }
        let session = try await access.viewSession(id, context, what: "session page")
        let flags = try await store.run { try $0.storedFlags(sessionID: id) }
        let (pain, authors) = try await store.run { store in
            (try store.painLog(sessionID: id), Dictionary(try store.accounts().compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a }))
        }
        let (runner, shoes) = try await store.run { store -> (RunnerRecord?, [ShoeRecord]) in
            guard let runnerID = session.runnerId else { return (nil, []) }
            return (try store.runner(id: runnerID), try store.shoes(runnerID: runnerID))
        }
        let runners = context.account?.role == .admin ? try await store.run { try $0.runners() } : []
        let watch = try await store.run { try $0.sessionSpeed(sessionID: id) }
        let watchLine = watch.map { speed -> String in
            var parts = ["Watch: \(HTML.escape(speed.source)), \(HTML.escape(speed.method))"]
            if let r = speed.cadenceCorrelation { parts.append(String(format: "cadence agreement r = %.2f", r)) }
            if let km = speed.distanceKm { parts.append(String(format: "%.2f km", km)) }
            return parts.joined(separator: " · ") + ". Comparisons are matched for speed and slope where the runner has enough runs with a watch."
        } ?? "No watch file: comparisons with other runs are not matched for speed or slope (upload one on the runner's page or with the API)." 
        let inference = try await store.run { store in
            try cache.value("session-\(id).inference", revision: try store.revision(), cost: { _ in 4096 }) {
                try store.storedDocument(sessionID: id)?.inference
            }
        }
        let comparedWith: String
        switch inference {
        case .some(let summary) where summary.baselineTrusted:
            comparedWith = context.account?.role == .runner
                ? "Flags are compared with your own normal: your last \(summary.baselineSessionCount) runs."
                : "Flags are compared with \(runner?.name ?? "the runner")'s own normal: their last \(summary.baselineSessionCount) runs."
        case .some(let summary):
            comparedWith = "Flags are compared with published references until there are \(RunnerBaseline.minimumSessions) earlier runs of at least 5 minutes for a personal baseline (\(summary.baselineSessionCount) so far)."
        case .none:
            comparedWith = "The flags of this session have not been computed yet."
        }
        let flagItems = flags.map { f in
            "<li class=\"flag-\(f.severity.rawValue) kind-\(f.kind.rawValue)\"><strong>[\(f.kind.rawValue), \(f.severity.rawValue)] \(HTML.escape(f.title))</strong><br>\(HTML.escape(f.explanation))<br><em>Compared with:</em> \(HTML.escape(f.reference.description))<br><em>Evidence for back pain:</em> \(f.evidenceGrade.rawValue)\(f.citations.isEmpty ? "" : " (" + HTML.escape(f.citations.joined(separator: "; ")) + ")")\(f.advice.isEmpty ? "" : "<br><em>Advice:</em> " + HTML.escape(f.advice.joined(separator: " ")))</li>"
        }
        let painRows = pain.map { e in
            "<tr><td>\(UTCDate.minute(e.recordedAt))</td><td>\(e.painScore.map(String.init) ?? "")</td><td>\(HTML.escape(e.location ?? ""))</td><td>\(HTML.escape(e.note ?? ""))</td><td>\(Self.authorName(e.authorAccountId.flatMap { authors[$0] }))</td></tr>"
        }
        let writesPain = context.account.map { Self.writesPainLog($0, session) } ?? false
        let csrf = context.loginSession?.csrfToken ?? ""
        var banner = ""
        if let runnerID = session.runnerId { banner = try await alertBanner(runnerID: runnerID, csrf: context.loginSession?.csrfToken) }
        return HTML.page(title: "Session \(id)", account: context.account, csrf: context.loginSession?.csrfToken, body: """
            \(banner)
            <h1>Session \(id)\(session.startedAt.map { " — " + UTCDate.minute($0) } ?? " — start unknown")</h1>
            <p>\(runner.map { "<a href=\"/runners/\(session.runnerId ?? 0)\">Back to \(HTML.escape($0.name))</a>" } ?? "<a href=\"/admin/unassigned\">Back to the unassigned sessions</a>") · <a href="/sessions/\(id)/report">Session report (plots, printable)</a> · <a href="/sessions/\(id)/report.csv">CSV</a> · <a href="/sessions/\(id)/report.json">JSON</a></p>
            <p>Runner: \(runner.map { HTML.escape($0.name) } ?? "<em>nobody yet</em>") · Shoes: \(shoes.first { $0.id == session.shoeId }.map { HTML.escape($0.name) } ?? "<em>not recorded</em>")</p>
            <p class="note">\(watchLine)</p>
            \(Self.assignmentForms(sessionID: id, session: session, shoes: shoes, runners: runners, csrf: csrf))
            <h2>Flags</h2>
            <p class="note">\(HTML.escape(comparedWith))</p>
            \(flagItems.isEmpty ? "<p>No flags for this session.</p>" : "<ul>\(flagItems.joined(separator: "\n"))</ul>")
            <h2>Pain and notes</h2>
            \(painRows.isEmpty ? "<p>Nothing logged yet.</p>" : "<table><tr><th>Logged</th><th>Pain</th><th>Where</th><th>Note</th><th>By</th></tr>\(painRows.joined(separator: "\n"))</table>")
            \(writesPain ? "" : """
            <form class="box" method="post" action="/sessions/\(id)/notes">
            <input type="hidden" name="csrf_token" value="\(HTML.escape(csrf))">
            <p class="note">The pain log is the runner's. Your note is shown as yours and changes no flag.</p>
            <label>Your note <textarea name="note" maxlength="2000" required></textarea></label>
            <button>Add your note</button>
            </form>
            """)
            \(!writesPain ? "" : """
            <form class="box" method="post" action="/sessions/\(id)/notes">
            <input type="hidden" name="csrf_token" value="\(HTML.escape(csrf))">
            <label>Pain (0 none – 10 worst) <input name="pain_score" type="number" min="0" max="10"></label>
            <label>Where <input name="location" maxlength="200"></label>
            <label>Note <textarea name="note" maxlength="2000"></textarea></label>
            <label><input type="checkbox" name="next_day" value="yes"> The pain lasted into the next day</label>
            <fieldset><legend>With the pain, did you have…</legend>
            \(RedFlagSymptom.allCases.map { "<label><input type=\"checkbox\" name=\"symptom_\($0.rawValue)\" value=\"yes\"> \(HTML.escape($0.question))</label>" }.joined(separator: "\n"))
            </fieldset>
            <button>Add to the log</button>
            </form>
            """)
            """)
    }

    /// The session page's corrections: its shoes (anyone who may see it) and, for an
    /// administrator, who ran it.
    static func assignmentForms(sessionID: SessionID, session: SessionRecord, shoes: [ShoeRecord], runners: [RunnerRecord], csrf: String) -> String {
        var html = ""
        if !runners.isEmpty {
            html += "<p>\(session.runnerId == nil ? "Give this session to" : "Give this session to another runner"): \(AssignmentController.runnerForm(sessionID: sessionID, runners: runners, csrf: csrf))</p>"
        }
        if session.runnerId != nil {
            let options = shoes.map { "<option value=\"\(HTML.escape($0.name))\">" }
            let current = shoes.first { $0.id == session.shoeId }?.name ?? ""
            html += """
                <form method="post" action="/sessions/\(sessionID)/shoe"><input type="hidden" name="csrf_token" value="\(HTML.escape(csrf))">\
                <label>Shoes of this run <input name="shoe" required maxlength="100" list="session-shoes" value="\(HTML.escape(current))"></label>\
                <datalist id="session-shoes">\(options.joined())</datalist> <button>Correct the shoes</button></form>
                """
        }
        return html
    }

    struct NoteForm: Decodable {
        var csrf_token: String?
        var pain_score: String?
        var location: String?
        var note: String?
        var next_day: String?
        var symptom_numbness: String?
        var symptom_night_pain: String?
        var symptom_bladder_bowel: String?
        var symptom_fever: String?
        var symptom_fall_or_accident: String?

        var symptoms: [RedFlagSymptom] {
            zip(RedFlagSymptom.allCases, [symptom_numbness, symptom_night_pain, symptom_bladder_bowel, symptom_fever, symptom_fall_or_accident])
                .filter { $0.1 == "yes" }.map(\.0)
        }
    }

    func addNote(_ request: Request, _ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return Self.loginRedirect() }
        let session = try await access.session(id, context)
        let form = try await Access.form(NoteForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        if Self.writesPainLog(account, session) {
            let entry = try Self.painEntry(sessionID: id, score: form.pain_score, location: form.location, note: form.note,
                                           nextDay: form.next_day == "yes", symptoms: form.symptoms, authorAccountID: account.id)
            _ = try await store.run { store in try SessionIngest(store: store).logPain(entry) }
        } else {
            let painFields = [form.pain_score, form.location, form.next_day].contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
            guard !painFields, form.symptoms.isEmpty else { throw Self.notTheRunnersPainLog }
            let entry = try Self.ownNote(sessionID: id, note: form.note, author: account)
            _ = try await store.run { try $0.addPain(entry) }
        }
        return Response(status: .seeOther, headers: [.location: "/sessions/\(id)"])
    }

    /// Whether this account writes the session's pain log: only the runner whose session it is.
    /// Others (physiotherapist, administrator) write notes of their own, which change no flag.
    static func writesPainLog(_ account: AccountRecord, _ session: SessionRecord) -> Bool {
        account.role == .runner && account.runnerId != nil && account.runnerId == session.runnerId
    }

    /// 403 for pain, places, next-day answers or symptoms from anyone but the runner.
    static let notTheRunnersPainLog = HTTPError(.forbidden, message: "Only the runner writes their pain log (pain, place, next day, symptoms); add a note of your own instead.")

    /// A note of a physiotherapist or administrator on a session: text only, with its author.
    static func ownNote(sessionID: Int64, note: String?, author: AccountRecord) throws -> PainLogEntry {
        guard let text = note?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw HTTPError(.badRequest, message: "Write the note.")
        }
        guard text.count <= 2000 else { throw HTTPError(.badRequest, message: "Keep the note under 2000 characters.") }
        return PainLogEntry(sessionId: sessionID, note: text, authorAccountId: author.id)
    }

    /// A validated pain/notes entry: a score 0–10 and/or a note, text within its limits.
    static func painEntry(sessionID: Int64, score: String?, location: String?, note: String?, nextDay: Bool = false,
                          symptoms: [RedFlagSymptom] = [], authorAccountID: Int64? = nil) throws -> PainLogEntry {
        let text = { (s: String?) in s.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        var painScore: Int?
        if let s = text(score) {
            guard let value = Int(s), (0...10).contains(value) else {
                throw HTTPError(.badRequest, message: "Pain must be a whole number from 0 to 10, got '\(s)'.")
            }
            painScore = value
        }
        let location = text(location), note = text(note)
        guard painScore != nil || note != nil || location != nil || nextDay || !symptoms.isEmpty else {
            throw HTTPError(.badRequest, message: "Give a pain score or a note.")
        }
        guard (location?.count ?? 0) <= 200, (note?.count ?? 0) <= 2000 else {
            throw HTTPError(.badRequest, message: "Keep the place under 200 and the note under 2000 characters.")
        }
        return PainLogEntry(sessionId: sessionID, painScore: painScore, location: location, note: note,
                            nextDay: nextDay ? true : nil, symptoms: symptoms, authorAccountId: authorAccountID)
    }

    func accountPage(_ context: ServerRequestContext, message: String?) async throws -> Response {
        guard let account = context.account else { return Self.loginRedirect() }
        guard account.role == .runner, let runner = account.runnerId else {
            throw HTTPError(.notFound, message: "Only runners grant access to their data.")
        }
        let physios = try await store.run { try $0.grantedPhysios(runnerID: runner) }
        let csrf = HTML.escape(context.loginSession?.csrfToken ?? "")
        let rows = physios.map { p in
            "<tr><td>\(HTML.escape(p.username))</td><td><form method=\"post\" action=\"/account/grants/revoke\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"\(csrf)\"><input type=\"hidden\" name=\"physio\" value=\"\(HTML.escape(p.username))\"><button>Withdraw</button></form></td></tr>"
        }
        return HTML.page(title: "Access", account: account, csrf: context.loginSession?.csrfToken, body: """
            <h1>Who may see your sessions</h1>
            <p><a href="/account/views">Who looked at your data</a></p>
            \(message.map { "<p>\(HTML.escape($0))</p>" } ?? "")
            \(rows.isEmpty ? "<p>No physiotherapist has access.</p>" : "<table><tr><th>Physiotherapist</th><th></th></tr>\(rows.joined())</table>")
            <form class="box" method="post" action="/account/grants">
            <input type="hidden" name="csrf_token" value="\(csrf)">
            <label>Physiotherapist's username <input name="physio" required></label>
            <button>Grant access</button>
            </form>
            """)
    }

    struct GrantForm: Decodable {
        var csrf_token: String?
        var physio: String
    }

    func grant(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return Self.loginRedirect() }
        let form = try await Access.form(GrantForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard account.role == .runner, let runner = account.runnerId else { throw HTTPError(.forbidden, message: "Only runners grant access.") }
        guard let physio = try await store.run({ try $0.account(username: form.physio) }), physio.role == .physio else {
            throw HTTPError(.badRequest, message: "No physiotherapist with that username.")
        }
        try await store.run { try $0.grant(runnerID: runner, physioAccountID: physio.id!) }
        return Response(status: .seeOther, headers: [.location: "/account"])
    }

    func revoke(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return Self.loginRedirect() }
        let form = try await Access.form(GrantForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        guard account.role == .runner, let runner = account.runnerId else { throw HTTPError(.forbidden, message: "Only runners grant access.") }
        if let physio = try await store.run({ try $0.account(username: form.physio) }) {
            try await store.run { try $0.revoke(runnerID: runner, physioAccountID: physio.id!) }
        }
        return Response(status: .seeOther, headers: [.location: "/account"])
    }

    /// The red-flag alert of a runner, prominent, with the button that clears it; empty without one.
    func alertBanner(runnerID: Int64, csrf: String?) async throws -> String {
        guard let alert = try await store.run({ try $0.redFlagAlert(runnerID: runnerID) }) else { return "" }
        return """
            <div class="alert" role="alert"><strong>\(HTML.escape(alert.message))</strong>
            <form method="post" action="/runners/\(runnerID)/alert/clear" class="inline"><input type="hidden" name="csrf_token" value="\(HTML.escape(csrf ?? ""))"> <button>A doctor has seen this: clear the alert</button></form></div>
            """
    }

    struct ClearForm: Decodable {
        var csrf_token: String?
    }

    /// Clears a runner's red-flag alert (the runner, their physiotherapist or an administrator).
    func clearAlert(_ request: Request, _ runnerID: Int64, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return Self.loginRedirect() }
        _ = try await access.runner(runnerID, context)
        let form = try await Access.form(ClearForm.self, request, context)
        try access.checkCSRF(form.csrf_token, context)
        try await store.run { try $0.clearRedFlags(runnerID: runnerID, by: "\(account.username) (\(HTML.roleName(account.role)))") }
        return Response(status: .seeOther, headers: [.location: "/runners/\(runnerID)"])
    }

    /// Who wrote a log entry, as the page shows it: "pia (physiotherapist)"; "—" when not recorded.
    static func authorName(_ account: AccountRecord?) -> String {
        guard let account else { return "—" }
        return "\(HTML.escape(account.username)) (\(HTML.roleName(account.role)))"
    }
}
