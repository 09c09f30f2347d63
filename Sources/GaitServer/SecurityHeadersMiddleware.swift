import Hummingbird

/// Headers every response carries, whatever produced it (page, export, API, error): browsers
/// must not guess a type other than the one sent; reached over HTTPS, they must not fall back to
/// plain HTTP for a year (HSTS).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    var strictTransportSecurity = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.init("X-Content-Type-Options")!] == nil { response.headers[.init("X-Content-Type-Options")!] = "nosniff" }
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
