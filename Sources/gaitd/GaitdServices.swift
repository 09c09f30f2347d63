import ClinicPush
import ClipSync
import ClipUSB
import Foundation
import GaitServer
import Logging
import ServiceLifecycle
import SessionIngest
import SessionStore

/// gaitd's services and how they are wired: the one place that starts them and configures
/// graceful shutdown on SIGTERM and SIGINT.
///
/// ```
/// ClipWatcherService ──ClipEvent──▶ ClipSyncService ──StoredSession──▶ IngestService ─┐
///                                   (archive: verify, commit, then ack)                ├─▶ SessionIngest ─▶ store
/// InboxService ──────────────────────────── CSV files ─────────────────────────────────┘
/// GaitServer (web pages and API) ◀──────────────────────────────────────────────────────── store
/// ClinicPushService ◀── sessions not yet delivered ── store; ──▶ the paired clinic's GaitServer
/// ```
struct GaitdServices {
    let configuration: GaitdConfiguration
    let store: any SessionStore
    let archive: SessionArchive
    let logger: Logger

    /// Longest a graceful shutdown may take before the services are cancelled.
    static let maximumGracefulShutdown = Duration.seconds(10)

    /// Runs the service group until a signal shuts it down.
    func run() async throws {
        let (clipEvents, clipEventsInput) = AsyncStream.makeStream(of: ClipEvent.self)
        let (ingestQueue, ingestInput) = AsyncStream.makeStream(of: StoredSession.self)
        let usb = Result<ClipUSBContext, any Error> { try ClipUSBContext() }
        let attribution = Attribution(defaultRunner: configuration.defaultRunner, defaultShoe: configuration.defaultShoe)
        let ingest = SessionIngest(store: store, spoolDirectory: configuration.dataDirectory, logger: named("ingest"))

        let ingestService = IngestService(queue: ingestQueue, ingest: ingest, archive: archive, attribution: attribution, logger: named("ingest"))
        let watcher = ClipWatcherService(usb: usb, mode: configuration.watcherMode, events: clipEventsInput, logger: named("usb"))
        let sync = ClipSyncService(
            events: clipEvents, usb: try? usb.get(), archive: archive, ingestQueue: ingestInput,
            settings: .init(eraseAfterSync: configuration.eraseAfterSync, transferTimeoutMs: configuration.transferTimeoutMs),
            logger: named("sync"))
        let inbox = InboxService(inbox: configuration.inboxDirectory, pollInterval: .milliseconds(configuration.pollIntervalMs),
                                 ingest: ingest, attribution: attribution, logger: named("inbox"))

        let clinicPush = ClinicPushService(store: store, dataDirectory: configuration.dataDirectory,
                                           settings: .init(maximumRetryDelayS: Double(configuration.clinicRetryMaximumS),
                                                           pollIntervalS: Double(configuration.pollIntervalMs) / 1000 * 5),
                                           logger: named("clinic"))
        var services: [any Service] = [ingestService, clinicPush, watcher, sync, inbox]
        if configuration.httpPort > 0 {
            // Uploads (a browser's, a paired gaitd's partial pushes) wait in the data folder: the
            // partial pushes must outlive a restart, and belong with this store.
            var server = GaitServerConfiguration(host: configuration.httpListen, port: configuration.httpPort,
                                                 secureCookies: configuration.secureCookies,
                                                 uploadDirectory: configuration.dataDirectory + "/uploads", tls: configuration.tlsFiles)
            server.allowedHostNames.formUnion(configuration.httpHostNames)
            let pairingPath = ClinicPairing.path(dataDirectory: configuration.dataDirectory)
            server.pairedClinic = { (try? ClinicPairing.load(path: pairingPath)).flatMap { $0 }.flatMap { try? ClinicEndpoint($0.clinicURL).baseURL } }
            let cache = RenderCache()
            services.append(try GaitServer.buildApplication(configuration: server, store: store, cache: cache, logger: named("http")))
            if configuration.warmReports {
                services.append(ReportWarmingService(warmer: ReportWarmer(store: store, cache: cache), store: store,
                                                     intervalS: Double(configuration.pollIntervalMs) / 1000, logger: named("http")))
            }
            logger.info("web pages and API on \(server.tls == nil ? "http" : "https")://\(configuration.httpListen):\(configuration.httpPort)/")
        }
        // Graceful shutdown runs from the last service to the first, each after the one before it
        // returned: the web server stops answering, the inbox stops taking files, the syncs stop
        // at their next request, the watcher stops, and the ingest worker finishes its session.
        var group = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        group.maximumGracefulShutdownDuration = Self.maximumGracefulShutdown
        try await ServiceGroup(configuration: group).run()
        ingestInput.finish()
    }

    func named(_ service: String) -> Logger {
        var logger = Logger(label: "gaitd.\(service)")
        logger.logLevel = configuration.logLevel
        return logger
    }
}
