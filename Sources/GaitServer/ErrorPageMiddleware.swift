import Hummingbird
import Logging

/// Turns errors into responses a client can use and nothing more: the status and a short message
/// (JSON under /api, a small HTML page elsewhere). Unexpected errors are logged with their details
/// and answered with a plain 500, never a stack trace or an internal message.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let status: HTTPResponse.Status
            let message: String
            if let http = error as? HTTPError {
                status = http.status
                message = http.body ?? http.status.reasonPhrase
            } else if let response = error as? any HTTPResponseError {
                status = response.status
                message = response.status.reasonPhrase
            } else {
                context.logger.error("request \(request.method) \(request.uri.path) failed: \(error)")
                status = .internalServerError
                message = "Something went wrong on the server."
            }
            if request.uri.path.hasPrefix("/api/") {
                return try JSONResponses.error(status: status, message: message)
            }
            return HTML.page(title: "\(status.code) \(status.reasonPhrase)", status: status, account: context.account, body: """
                <h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1>
                <p>\(HTML.escape(message))</p>
                <p><a href="/">Back to the start page</a></p>
                """)
        }
    }
}
