import Hummingbird

/// Answers only requests addressed to this server by name: a `Host` (HTTP/1.1) or `:authority`
/// among the configured names, else 421; none at all, 400. A DNS-rebinding page reaches the
/// loopback server under its own name, which is not on the list.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let allowedHostNames: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority ?? request.headers[.init("Host")!] else {
            throw HTTPError(.badRequest, message: "The request names no host.")
        }
        guard allowedHostNames.contains(Self.hostName(authority)) else {
            throw HTTPError(.misdirectedRequest, message: "This server does not answer to that host name.")
        }
        return try await next(request, context)
    }

    /// The name of an authority without its port, lower case: "LocalHost:8480" → "localhost",
    /// "[::1]:8480" → "[::1]".
    static func hostName(_ authority: String) -> String {
        let lower = authority.lowercased()
        if lower.hasPrefix("[") {
            guard let close = lower.firstIndex(of: "]") else { return lower }
            return String(lower[...close])
        }
        if let colon = lower.lastIndex(of: ":"), lower.firstIndex(of: ":") == colon { return String(lower[..<colon]) }
        return lower
    }
}
