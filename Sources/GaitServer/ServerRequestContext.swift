import Hummingbird
import SessionStore

/// The request context of GaitServer: the core context plus who is logged in and how.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The logged-in account, if any.
    public var account: AccountRecord?
    /// The login session behind it (its CSRF token and expiry).
    public var loginSession: LoginSessionRecord?
    /// Whether the login came from the cookie (browser forms: CSRF applies) or a bearer token (API).
    public var authenticatedByCookie = false

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Requests bodies beyond 64 KiB are refused (forms and JSON here are small).
    public var maxUploadSize: Int { 64 * 1024 }
}
