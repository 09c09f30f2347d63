import GaitReport
import Hummingbird
import SessionStore

/// The printable reports (GaitReport) and their CSV and JSON exports, behind the same access
/// control as the pages.
struct ReportController: Sendable {
    let store: any SessionStore
    var access: Access { Access(store: store) }

    enum Format { case html, csv, json }

    func add(to router: Router<ServerRequestContext>) {
        for (suffix, format) in [("report", Format.html), ("report.csv", .csv), ("report.json", .json)] {
            router.get("/sessions/:id/\(suffix)") { _, context in
                try await session(context.parameters.require("id", as: Int64.self), format, context)
            }
            router.get("/runners/:id/\(suffix)") { _, context in
                try await runner(context.parameters.require("id", as: Int64.self), format, context)
            }
        }
    }

    func session(_ id: Int64, _ format: Format, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try await access.session(id, context)
        guard let report = try await store.run({ try StoredReports.session(id, in: $0) }) else {
            throw HTTPError(.notFound, message: "Session \(id) has no analysis yet.")
        }
        return try Self.respond(format, html: report.html, csv: report.csv, json: { try report.json() }, name: "session-\(id)")
    }

    func runner(_ id: Int64, _ format: Format, _ context: ServerRequestContext) async throws -> Response {
        guard context.account != nil else { return PageController.loginRedirect() }
        _ = try await access.runner(id, context)
        guard let report = try await store.run({ try StoredReports.runner(id, in: $0) }) else {
            throw HTTPError(.notFound, message: "No runner \(id) that you may see.")
        }
        return try Self.respond(format, html: report.html, csv: report.csv, json: { try report.json() }, name: "runner-\(id)")
    }

    /// Headers of the CSV and JSON exports: opened in a browser by mistake they run nothing, load
    /// nothing and are not framed (a sandboxed, empty policy); never sniffed as another type (`SecurityHeadersMiddleware`).
    static var exportHeaders: HTTPFields {
        [.contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"]
    }

    static func respond(_ format: Format, html: () -> String, csv: () -> String, json: () throws -> String, name: String) throws -> Response {
        switch format {
        case .html:
            return HTML.response(html())
        case .csv:
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\"",
                                       .cacheControl: "no-store"]
            headers.append(contentsOf: exportHeaders)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv())))
        case .json:
            var headers = JSONResponses.headers
            headers.append(contentsOf: exportHeaders)
            headers[.contentDisposition] = "attachment; filename=\"\(name).json\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try json())))
        }
    }
}
