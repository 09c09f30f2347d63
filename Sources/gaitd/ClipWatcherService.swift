import ClipUSB
import Logging
import ServiceLifecycle

/// The USB watcher: reports clips arriving and leaving (libusb hotplug with a polling fallback,
/// through `ClipWatcher`, which runs on its own thread) to the sync service.
///
/// Without USB (no usbfs, libusb cannot start) it logs why, and gaitd goes on with the inbox.
struct ClipWatcherService: Service, CustomStringConvertible {
    /// The libusb context, or why there is none.
    let usb: Result<ClipUSBContext, any Error>
    let mode: ClipWatcher.Mode
    /// Where the events go; finished when the watcher stops.
    let events: AsyncStream<ClipEvent>.Continuation
    let logger: Logger

    var description: String { "ClipWatcherService" }

    func run() async throws {
        defer { events.finish() }
        let watcher: ClipWatcher
        do {
            watcher = try ClipWatcher(context: try usb.get(), mode: mode)
        } catch {
            logger.error("clips will not be synced: \(error)")
            try? await gracefulShutdown()
            return
        }
        logger.info("watching for clips (\(watcher.mechanism))")
        for await event in watcher.events.cancelOnGracefulShutdown() {
            logger.info("clip \(event)")
            events.yield(event)
        }
        // stop() joins the watcher's thread: wait for it off the cooperative pool.
        await DedicatedThread.run(name: "gaitd watcher stop") { watcher.stop() }
        logger.info("USB watcher stopped")
    }
}
