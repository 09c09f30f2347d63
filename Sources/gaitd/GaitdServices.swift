import ClipUSB
import Foundation
import GaitServer
import Logging
import ServiceLifecycle

/// gaitd's services and how they are wired: the one place that starts them and configures
/// graceful shutdown on SIGTERM and SIGINT.
///
/// ```
/// ClipWatcherService ──ClipEvent──▶ ClipSyncService ──SinkSession──▶ AnalysisService
///                                        │ (SessionSink)                  ▲
/// InboxService ──────────────────────────┴─── stores and analyses files ──┘ (same sink)
/// ```
struct GaitdServices {
    let configuration: GaitdConfiguration
    let sink: any SessionSink
    let logger: Logger

    /// Longest a graceful shutdown may take before the services are cancelled.
    static let maximumGracefulShutdown = Duration.seconds(10)

    /// Runs the service group until a signal shuts it down.
    func run() async throws {
        let (clipEvents, clipEventsInput) = AsyncStream.makeStream(of: ClipEvent.self)
        let (analysisQueue, analysisInput) = AsyncStream.makeStream(of: SinkSession.self)
        // Sessions a previous run stored but did not analyse (or record) come first.
        do {
            let pending = try sink.pendingSessions()
            if !pending.isEmpty { logger.info("\(pending.count) stored session(s) awaiting analysis") }
            for session in pending { analysisInput.yield(session) }
        } catch {
            logger.error("cannot list the sessions awaiting analysis: \(error)")
        }
        let usb = Result<ClipUSBContext, any Error> { try ClipUSBContext() }
        let attribution = SessionAttribution(runner: configuration.defaultRunner, shoe: configuration.defaultShoe)

        let analysis = AnalysisService(queue: analysisQueue, sink: sink, logger: named("analysis"))
        let watcher = ClipWatcherService(usb: usb, mode: configuration.watcherMode, events: clipEventsInput, logger: named("usb"))
        let sync = ClipSyncService(
            events: clipEvents, usb: try? usb.get(), sink: sink, analysisQueue: analysisInput,
            settings: .init(eraseAfterSync: configuration.eraseAfterSync, transferTimeoutMs: configuration.transferTimeoutMs,
                            attribution: attribution),
            logger: named("sync"))
        let inbox = InboxService(inbox: configuration.inboxDirectory, pollInterval: .milliseconds(configuration.pollIntervalMs),
                                 sink: sink, attribution: attribution, logger: named("inbox"))

        // The web pages and API, over the same store (not with the file sink, which has none).
        var services: [any Service] = [analysis, watcher, sync, inbox]
        if configuration.httpPort > 0 {
            if let store = (sink as? StoreSessionSink)?.store {
                let server = GaitServerConfiguration(host: configuration.httpListen, port: configuration.httpPort,
                                                     secureCookies: configuration.secureCookies)
                services.append(GaitServer.buildApplication(configuration: server, store: store, logger: named("http")))
                logger.info("web pages and API on http://\(configuration.httpListen):\(configuration.httpPort)/")
            } else {
                logger.notice("no web server: the file sink has no session store")
            }
        }
        // Graceful shutdown runs from the last service to the first, each after the one before it
        // returned: the web server stops answering, the inbox stops taking files, the syncs stop
        // at their next request, the watcher stops, and the analysis worker finishes its session.
        var group = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        group.maximumGracefulShutdownDuration = Self.maximumGracefulShutdown
        try await ServiceGroup(configuration: group).run()
        analysisInput.finish()
    }

    func named(_ service: String) -> Logger {
        var logger = Logger(label: "gaitd.\(service)")
        logger.logLevel = configuration.logLevel
        return logger
    }
}
