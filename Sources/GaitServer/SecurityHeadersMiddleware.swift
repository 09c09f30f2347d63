import Hummingbird

/// Headers every response carries, whatever produced it (page, export, API, error): browsers
/// must not guess a type other than the one sent.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.init("X-Content-Type-Options")!] == nil { response.headers[.init("X-Content-Type-Options")!] = "nosniff" }
        return response
    }
}
