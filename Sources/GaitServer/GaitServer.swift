import Hummingbird
import HummingbirdBcrypt
import HummingbirdCore
import HummingbirdTLS
import Logging
import SessionStore

/// The web server gaitd runs: physiotherapist and runner pages, the JSON API, login and access
/// control, over the session store.
///
/// ```swift
/// let store: any SessionStore = try SQLiteSessionStore(path: SQLiteSessionStore.defaultPath)
/// let app = GaitServer.buildApplication(configuration: GaitServerConfiguration(), store: store)
/// try await app.runService()          // or add it to a ServiceGroup: an Application is a Service
/// ```
public enum GaitServer {
    /// The router with every route and middleware (tests drive it directly or over a live port).
    /// `cache` keeps rendered reports and API documents while the store's revision stays the same.
    public static func buildRouter(configuration: GaitServerConfiguration, store: any SessionStore,
                                   cache: RenderCache = RenderCache()) -> Router<ServerRequestContext> {
        // Every GET route answers HEAD too (same headers, no body).
        let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware(strictTransportSecurity: configuration.outsideIsHTTPS))
        router.add(middleware: ErrorPageMiddleware())
        router.add(middleware: HostCheckMiddleware(allowedHostNames: configuration.allowedHostNames))
        router.add(middleware: AuthenticationMiddleware(store: store, now: configuration.now))
        let throttle = LoginThrottle(limits: .init(freeFailuresPerAccount: configuration.loginFailuresPerAccount,
                                                   freeFailuresPerAddress: configuration.loginFailuresPerAddress,
                                                   firstDelayS: configuration.loginBackoffFirstDelayS))
        let passwords = PasswordCheck(store: store, configuration: configuration, throttle: throttle)
        AuthController(store: store, configuration: configuration, passwords: passwords).add(to: router)
        PageController(store: store, cache: cache).add(to: router)
        DashboardController(store: store, cache: cache).add(to: router)
        ClipController(store: store).add(to: router)
        AssignmentController(store: store).add(to: router)
        UploadController(store: store, configuration: configuration).add(to: router)
        ReportController(store: store, cache: cache).add(to: router)
        APIController(store: store, configuration: configuration, passwords: passwords, cache: cache).add(to: router)
        AccountController(store: store, configuration: configuration, passwords: passwords).add(to: router)
        AdminAccountsController(store: store, configuration: configuration).add(to: router)
        let pairingThrottle = LoginThrottle(limits: .init(freeFailuresPerAccount: configuration.loginFailuresPerAccount,
                                                          freeFailuresPerAddress: configuration.loginFailuresPerAddress,
                                                          firstDelayS: configuration.loginBackoffFirstDelayS))
        let clinic = ClinicController(store: store, configuration: configuration, uploads: PushUploadFolder(uploadDirectory: configuration.uploadDirectory),
                                      throttle: pairingThrottle)
        clinic.add(to: router)
        DevicesPageController(store: store, configuration: configuration, clinic: clinic).add(to: router)
        return router
    }

    /// The application: the router on the configured address.
    public static func buildApplication(configuration: GaitServerConfiguration, store: any SessionStore,
                                        cache: RenderCache = RenderCache(),
                                        logger: Logger = Logger(label: "backstride.http")) throws(TLSSetupError) -> some ApplicationProtocol {
        let server: HTTPServerBuilder
        if let files = configuration.tls {
            let tls = try ServerTLS.configuration(files)
            do {
                server = try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw TLSSetupError(description: "TLS: \(error)")
            }
        } else {
            server = .http1()
        }
        return Application(router: buildRouter(configuration: configuration, store: store, cache: cache), server: server,
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Backstride"),
                           logger: logger)
    }
}

extension GaitServer {
    /// Checks that the certificate and key can serve HTTPS (gaitd does before it starts).
    public static func checkTLS(_ files: GaitServerConfiguration.TLSFiles) throws(TLSSetupError) {
        _ = try ServerTLS.configuration(files)
    }

    /// A bcrypt hash of a new password (for `gait account add` and tests); passwords shorter than
    /// 10 characters are refused.
    public static func hashPassword(_ password: String, cost: UInt8 = 12) throws -> String {
        guard password.count >= 10 else { throw PasswordError.tooShort }
        return Bcrypt.hash(password, cost: cost)
    }

    /// Why a password was refused.
    public enum PasswordError: Error, CustomStringConvertible {
        case tooShort
        public var description: String { "a password needs at least 10 characters" }
    }
}
