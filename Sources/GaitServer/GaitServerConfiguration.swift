import Foundation

/// How the web server listens and how long a login lasts.
///
/// By default it listens on the loopback interface only: the runner's own machine. A clinic that
/// serves physiotherapists on its network either gives it a certificate (`tls`: it speaks HTTPS
/// itself) or puts it behind a TLS-terminating reverse proxy and sets `secureCookies` (see the
/// README, "Web pages and API"); either way the login cookie is then only sent over HTTPS.
public struct GaitServerConfiguration: Sendable {
    /// Address to listen on; "127.0.0.1" (default) accepts connections from this machine only.
    public var host: String
    /// TCP port; 0 lets the system pick a free one (tests).
    public var port: Int
    /// How long a login (cookie or API token) stays valid, seconds.
    public var sessionLifetimeS: Double
    /// Mark the login cookie `Secure` (HTTPS only): set it when a TLS proxy is in front. Serving
    /// TLS itself (`tls`) implies it.
    public var secureCookies: Bool
    /// The certificate and key the server speaks HTTPS with; nil: plain HTTP (loopback, or a proxy).
    public var tls: TLSFiles?
    /// bcrypt cost of new password hashes (2^cost rounds); 12 by default.
    public var passwordHashCost: UInt8
    /// The largest session file a browser or API client may upload, bytes (larger: 413). The
    /// default, 1 GiB, holds a 4 h run at 1 kHz in our CSV.
    public var maxSessionUploadBytes: Int
    /// Where uploads are written while they are read and analysed (nil: the temporary folder).
    public var uploadDirectory: String?
    /// The time logins are started and checked against (tests move it instead of waiting).
    public var now: @Sendable () -> Date
    /// The names a request's `Host` may carry (without the port), lower case; others are answered 421,
    /// a request without a `Host` 400 (a DNS-rebinding page sends its own name). Default: the loopback
    /// names and `host`. A server behind a proxy adds the name the proxy is reached under.
    public var allowedHostNames: Set<String>
    /// Failed password checks allowed per account name and per client address before the backoff
    /// (`/login`, `POST /api/v1/tokens`; 429 with `Retry-After`).
    public var loginFailuresPerAccount: Int
    /// See `loginFailuresPerAccount`: all names from one address together.
    public var loginFailuresPerAddress: Int
    /// The wait after the first failure beyond the free ones, seconds; it doubles with each further
    /// failure, up to 15 minutes.
    public var loginBackoffFirstDelayS: Double
    /// How long a pairing code pairs a device, seconds (default 15 minutes).
    public var pairingCodeLifetimeS: Double
    /// How long a device token stays valid after pairing, seconds (default 365 days; the device then pairs again).
    public var deviceTokenLifetimeS: Double
    /// The largest chunk of a pushed session's upload, bytes (default 4 MiB; larger: 413).
    public var maxPushChunkBytes: Int
    /// The clinic this server's own gaitd pushes its sessions to (its base URL), read when the
    /// Devices page is shown; nil: not paired (the default).
    public var pairedClinic: @Sendable () -> String? = { nil }

    /// A PEM certificate chain (the server's certificate first) and its PEM private key.
    public struct TLSFiles: Sendable, Equatable {
        public var certificateChainPath: String
        public var privateKeyPath: String
        public init(certificateChainPath: String, privateKeyPath: String) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// Whether the browser reaches the server over HTTPS (its own TLS or a proxy's): cookies are
    /// then `Secure` and responses carry `Strict-Transport-Security`.
    public var outsideIsHTTPS: Bool { secureCookies || tls != nil }

    /// The names every server answers to: its own machine's.
    public static let loopbackHostNames: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]

    /// Creates a configuration (defaults: 127.0.0.1:8480, 12 h logins, bcrypt cost 12, uploads up to 1 GiB,
    /// loopback host names and `host`, 5 failed logins per account and 20 per address before a backoff from 2 s).
    public init(host: String = "127.0.0.1", port: Int = 8480, sessionLifetimeS: Double = 12 * 3600,
                secureCookies: Bool = false, passwordHashCost: UInt8 = 12, maxSessionUploadBytes: Int = 1 << 30,
                uploadDirectory: String? = nil, now: @escaping @Sendable () -> Date = { Date() },
                allowedHostNames: Set<String>? = nil, loginFailuresPerAccount: Int = 5, loginFailuresPerAddress: Int = 20,
                loginBackoffFirstDelayS: Double = 2, tls: TLSFiles? = nil, pairingCodeLifetimeS: Double = 15 * 60,
                deviceTokenLifetimeS: Double = 365 * 24 * 3600, maxPushChunkBytes: Int = 4 << 20) {
        self.pairingCodeLifetimeS = pairingCodeLifetimeS
        self.deviceTokenLifetimeS = deviceTokenLifetimeS
        self.maxPushChunkBytes = maxPushChunkBytes
        self.host = host
        self.port = port
        self.sessionLifetimeS = sessionLifetimeS
        self.secureCookies = secureCookies
        self.passwordHashCost = passwordHashCost
        self.maxSessionUploadBytes = maxSessionUploadBytes
        self.uploadDirectory = uploadDirectory
        self.now = now
        self.allowedHostNames = (allowedHostNames ?? Self.loopbackHostNames.union([host.lowercased()]))
        self.loginFailuresPerAccount = loginFailuresPerAccount
        self.loginFailuresPerAddress = loginFailuresPerAddress
        self.loginBackoffFirstDelayS = loginBackoffFirstDelayS
        self.tls = tls
    }
}
