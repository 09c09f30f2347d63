import GaitReport
import Hummingbird
import SessionStore

/// The printable reports (GaitReport) and their CSV and JSON exports, behind the same access
/// control as the pages.
struct ReportController: Sendable {
    let store: any SessionStore
    var cache = RenderCache()
    var access: Access { Access(store: store) }

    enum Format: String { case html, csv, json }

    func add(to router: Router<ServerRequestContext>) {
        for (suffix, format) in [("report", Format.html), ("report.csv", .csv), ("report.json", .json)] {
            router.get("/sessions/:id/\(suffix)") { request, context in
                try await session(context.parameters.require("id", as: Int64.self), format, request, context)
            }
            router.get("/runners/:id/\(suffix)") { request, context in
                try await runner(context.parameters.require("id", as: Int64.self), format, request, context)
            }
        }
    }

    func session(_ id: Int64, _ format: Format, _ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try await access.viewSession(id, context, what: "session report (\(format.rawValue.uppercased()))")
        let response = try await cachedReport("session-\(id)", format, request) { store in
            try StoredReports.session(id, in: store).map { report in try Self.render(format, html: report.html, csv: report.csv, json: { try report.json() }) }
        }
        guard let response else { throw HTTPError(.notFound, message: "Session \(id) has no analysis yet.") }
        return response
    }

    func runner(_ id: Int64, _ format: Format, _ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try await access.viewRunner(id, context, what: "runner report (\(format.rawValue.uppercased()))")
        let (text, tag) = try await store.run { [cache] store in
            let revision = try store.runnerRevisions([id])[id] ?? 0
            return (try Self.runnerReport(id, format, store: store, cache: cache, revision: revision),
                    RenderCache.entityTag("runner-\(id).\(format.rawValue)", revision: revision))
        }
        guard let text else { throw HTTPError(.notFound, message: "No runner \(id) that you may see.") }
        return RenderCache.respond(to: request, tag: tag) { Self.respond(format, text: text, name: "runner-\(id)") }
    }

    /// Runner `id`'s report in `format` at that runner's `revision` (nil: no such runner), from
    /// `cache` or made now; the one way the pages and `ReportWarmer` make it.
    static func runnerReport(_ id: Int64, _ format: Format, store: any SessionStore, cache: RenderCache, revision: Int64) throws -> String? {
        try cache.value("runner-\(id).\(format.rawValue)", revision: revision, cost: { $0?.utf8.count ?? 0 }) {
            try StoredReports.runner(id, in: store).map { report in try render(format, html: report.html, csv: report.csv, json: { try report.json() }) }
        }
    }

    /// The report named `name` in `format`, rendered once per store revision (nil: nothing to
    /// report); 304 when the request holds the current copy.
    func cachedReport(_ name: String, _ format: Format, _ request: Request,
                      render: @escaping @Sendable (any SessionStore) throws -> String?) async throws -> Response? {
        let (text, tag) = try await cache.current("\(name).\(format.rawValue)", in: store, cost: { $0?.utf8.count ?? 0 }, make: render)
        guard let text else { return nil }
        return RenderCache.respond(to: request, tag: tag) { Self.respond(format, text: text, name: name) }
    }

    static func render(_ format: Format, html: () -> String, csv: () -> String, json: () throws -> String) throws -> String {
        switch format {
        case .html: html()
        case .csv: csv()
        case .json: try json()
        }
    }

    /// Headers of the CSV and JSON exports: opened in a browser by mistake they run nothing, load
    /// nothing and are not framed (a sandboxed, empty policy); never sniffed as another type (`SecurityHeadersMiddleware`).
    static var exportHeaders: HTTPFields {
        [.contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"]
    }

    static func respond(_ format: Format, text: String, name: String) -> Response {
        switch format {
        case .html:
            return HTML.response(text)
        case .csv:
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\""]
            headers.append(contentsOf: exportHeaders)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        case .json:
            var headers = JSONResponses.headers
            headers.append(contentsOf: exportHeaders)
            headers[.contentDisposition] = "attachment; filename=\"\(name).json\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
