import Foundation
import Hummingbird
import NIOCore
import SessionStore

/// The request context of GaitServer: the core context plus who is logged in and how.
public struct ServerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The logged-in account, if any.
    public var account: AccountRecord?
    /// The login session behind it (its CSRF token and expiry).
    public var loginSession: LoginSessionRecord?
    /// Whether the login came from the cookie (browser forms: CSRF applies) or a bearer token (API).
    public var authenticatedByCookie = false
    /// When the request arrived, by the server's clock (`GaitServerConfiguration.now`): the time
    /// its login is checked against and its audit entry carries.
    public var arrivedAt = Date()

    /// The client's address (the per-address login limit); nil when the channel has none.
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text, "unknown" without one (all such clients share one limit).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Requests bodies beyond 64 KiB are refused (forms and JSON here are small).
    public var maxUploadSize: Int { 64 * 1024 }
}
