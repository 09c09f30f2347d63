import Foundation
import GaitServer
import Logging
import ServiceLifecycle
import SessionStore

/// Runs `ReportWarmer` for gaitd's web server: once at start, then every `intervalS` for the
/// runners a write changed, on a dispatch thread of its own (`SessionStore.run`), until shutdown.
struct ReportWarmingService: Service {
    let warmer: ReportWarmer
    let store: any SessionStore
    let intervalS: Double
    let logger: Logger

    func run() async throws {
        var seen: [Int64: Int64] = [:]
        var first = true
        while !Task.isShuttingDownGracefully {
            let start = ContinuousClock.now
            do {
                let pass = try await store.run { [seen, warmer] _ in
                    var after = seen
                    let made = try warmer.warmChanged(seen: &after, shouldStop: { Task.isShuttingDownGracefully })
                    return (after, made)
                }
                seen = pass.0
                if first || pass.1 > 0 {
                    logger.info("reports: made \(pass.1) runner report(s) and dashboard row(s) ahead of requests in \(ContinuousClock.now - start)")
                }
                first = false
            } catch {
                logger.warning("reports: making them ahead of requests failed (they are made on demand): \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(intervalS)) }
        }
    }
}
