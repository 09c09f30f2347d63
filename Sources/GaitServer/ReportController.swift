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
        let response = try await cachedReport("runner-\(id)", format, request, runnerID: id) { store in
            try StoredReports.runner(id, in: store).map { report in try Self.render(format, html: report.html, csv: report.csv, json: { try report.json() }) }
        }
        guard let response else { throw HTTPError(.notFound, message: "No runner \(id) that you may see.") }
        return response
    }

    /// The report named `name` in `format`, rendered once per store revision, or per revision of
    /// runner `runnerID` when it is about that runner only (nil: nothing to report); 304 when the
    /// request holds the current copy.
    func cachedReport(_ name: String, _ format: Format, _ request: Request, runnerID: Int64? = nil,
                      render: @escaping @Sendable (any SessionStore) throws -> String?) async throws -> Response? {
        let key = "\(name).\(format.rawValue)"
        let (text, tag) = if let runnerID {
            try await cache.current(key, runnerID: runnerID, in: store, cost: { $0?.utf8.count ?? 0 }, make: render)
        } else {
            try await cache.current(key, in: store, cost: { $0?.utf8.count ?? 0 }, make: render)
        }
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
