import Logging
import ServiceLifecycle

/// The analysis worker: analyses each newly stored session (from the sync service, or left
/// unanalysed by an earlier run) and logs a notification line for it.
///
/// One session at a time, each on a dedicated thread. On graceful shutdown the session being
/// analysed is finished (its analysis is written atomically either way) and the rest of the queue
/// is left: the next start finds those sessions through `SessionSink.pendingSessions()`.
struct AnalysisService: Service, CustomStringConvertible {
    /// Sessions to analyse, in order.
    let queue: AsyncStream<SinkSession>
    let sink: any SessionSink
    let logger: Logger

    var description: String { "AnalysisService" }

    func run() async {
        let job = SessionAnalysisJob(sink: sink)
        for await session in queue.cancelOnGracefulShutdown() {
            guard !sink.hasAnalysis(session) else { continue }
            logger.debug("analysing \(session)", metadata: ["path": "\(session.dataPath)"])
            do {
                let analysis = try await DedicatedThread.run(name: "gaitd analysis") { try job.run(session) }
                logger.notice("notification: \(SessionNotification.message(for: session, analysis: analysis))",
                              metadata: ["session": "\(session)"])
            } catch {
                logger.error("cannot analyse \(session): \(error)", metadata: ["path": "\(session.dataPath)"])
            }
        }
        logger.info("analysis worker stopped")
    }
}
