import ClipUSB
import Foundation
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

        // Graceful shutdown runs from the last service to the first, each after the one before it
        // returned: the inbox stops taking files, the syncs stop at their next request, the
        // watcher stops, and the analysis worker finishes the session it is on.
        var group = ServiceGroupConfiguration(
            services: ([analysis, watcher, sync, inbox] as [any Service]).map { .init(service: $0) },
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
