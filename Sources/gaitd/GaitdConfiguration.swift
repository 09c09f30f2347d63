import ClipUSB
import GaitServer
import Foundation
import Logging
import SessionStore

/// Everything gaitd needs to know to run, resolved from the defaults, the config file and the flags
/// (in that order; later wins).
struct GaitdConfiguration: Sendable, Equatable {
    /// The data directory: the session archive lives in `<dataDirectory>/sessions`.
    var dataDirectory: String
    /// The folder watched for CSV files to import (`done/` and `failed/` inside it).
    var inboxDirectory: String
    /// How often the inbox is scanned and, without hotplug, the USB bus polled, milliseconds.
    var pollIntervalMs: Int = 1000
    /// How gaitd learns of clips: `automatic` (hotplug, reconciled by polling), `polling` or `hotplug`.
    var usbWatch: USBWatch = .automatic
    /// Milliseconds to wait for the clip in one USB transfer.
    var transferTimeoutMs: Int = 1000
    /// Whether a session is acknowledged (and erased on the clip) once it is stored.
    var eraseAfterSync: Bool = true
    /// The runner who owns clips nobody owns yet (and the inbox's files), if any.
    var defaultRunner: String?
    /// The shoes new sessions get when their runner has no current shoes, if any.
    var defaultShoe: String?
    /// The least severe log level written.
    var logLevel: Logger.Level = .info
    /// Address the web pages and API listen on; loopback by default (see the README for a clinic network).
    var httpListen: String = "127.0.0.1"
    /// Port of the web pages and API; 0 turns the web server off.
    var httpPort: Int = 8480
    /// Mark the login cookie Secure (set it behind a TLS-terminating proxy).
    var secureCookies: Bool = false
    /// Make every runner's dashboard row and report ahead of requests, at start and after writes
    /// (`ReportWarmer`); off, each is made by the first request that needs it.
    var warmReports: Bool = true
    /// Host names the web server answers to besides the loopback names and `httpListen` (a proxy
    /// that forwards the browser's `Host`, e.g. "gait.clinic.example"); others are answered 421.
    var httpHostNames: [String] = []
    /// PEM certificate chain and private key: the web server speaks HTTPS itself (a clinic's
    /// server without a proxy). Both or neither.
    var tlsCertificate: String?
    var tlsKey: String?
    /// The longest wait between attempts to push to an unreachable clinic, seconds (the wait
    /// doubles from 1 s up to it).
    var clinicRetryMaximumS: Int = 300

    /// The TLS files, when both are set.
    var tlsFiles: GaitServerConfiguration.TLSFiles? {
        guard let tlsCertificate, let tlsKey else { return nil }
        return GaitServerConfiguration.TLSFiles(certificateChainPath: tlsCertificate, privateKeyPath: tlsKey)
    }
    /// The clinic's PostgreSQL database, when sessions are kept there; nil: the SQLite file in the
    /// data directory (`databasePath`), the embedded default for a runner alone.
    var postgresStore: PostgresStoreLocation?
    /// Connections gaitd keeps open to the PostgreSQL store at most (1–64): more let more page
    /// requests wait on the database at once, each costs the database server a process.
    var storeConnections: Int = PostgresSessionStore.defaultConnectionCount

    /// How gaitd watches the bus.
    enum USBWatch: String, Sendable, Equatable, CaseIterable {
        case automatic, polling, hotplug
    }

    /// The defaults under the XDG base directories of `environment`.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        dataDirectory = Self.xdg("XDG_DATA_HOME", fallback: ".local/share", environment: environment) + "/backstride"
        inboxDirectory = dataDirectory + "/inbox"
    }

    /// `$XDG_CONFIG_HOME/backstride/gaitd.conf` (or `~/.config/backstride/gaitd.conf`).
    static func defaultConfigFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        xdg("XDG_CONFIG_HOME", fallback: ".config", environment: environment) + "/backstride/gaitd.conf"
    }

    static func xdg(_ variable: String, fallback: String, environment: [String: String]) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/" + fallback
    }

    /// The clip session archive (`gait sync` uses the same by default).
    var sessionsDirectory: String { dataDirectory + "/sessions" }

    /// The session store (`gait` uses the same by default).
    var databasePath: String { dataDirectory + "/backstride.sqlite" }

    /// Opens (and migrates) the session store: PostgreSQL when `postgresStore` is set, else SQLite.
    func openStore() throws(SessionStoreError) -> any SessionStore {
        if let postgresStore { return try PostgresSessionStore(location: postgresStore, connectionCount: storeConnections) }
        return try SQLiteSessionStore(path: databasePath)
    }

    /// The store for logs: the SQLite file, or the PostgreSQL URL without its password.
    var storeDescription: String { postgresStore?.description ?? databasePath }

    /// The ClipWatcher mode for `usbWatch` and the poll interval.
    var watcherMode: ClipWatcher.Mode {
        switch usbWatch {
        case .automatic: .automatic(reconcileIntervalMs: pollIntervalMs)
        case .polling: .polling(intervalMs: pollIntervalMs)
        case .hotplug: .hotplug
        }
    }

    /// The configuration as a config file would spell it (`gaitd --print-config`).
    var fileText: String {
        """
        data_dir = \(dataDirectory)
        inbox = \(inboxDirectory)
        poll_interval_ms = \(pollIntervalMs)
        usb_watch = \(usbWatch.rawValue)
        transfer_timeout_ms = \(transferTimeoutMs)
        erase_after_sync = \(eraseAfterSync)
        default_runner = \(defaultRunner ?? "")
        default_shoe = \(defaultShoe ?? "")
        log_level = \(logLevel.rawValue)
        http_listen = \(httpListen)
        http_port = \(httpPort)
        secure_cookies = \(secureCookies)
        http_host_names = \(httpHostNames.joined(separator: ","))
        tls_certificate = \(tlsCertificate ?? "")
        tls_key = \(tlsKey ?? "")
        store = \(postgresStore?.description ?? "")
        store_connections = \(storeConnections)
        clinic_retry_max_s = \(clinicRetryMaximumS)
        warm_reports = \(warmReports)

        """
    }
}
