import ClinicPush
import Foundation
import Logging
import ServiceLifecycle
import SessionStore

/// Pushes the runner's sessions to the clinic gaitd is paired with (`gait clinic pair`):
/// `ClinicPusher` while `<data dir>/clinic.json` says so. The file is read again between
/// attempts, so pairing, pairing again and unpairing take effect without a restart. On graceful
/// shutdown the push in flight is cancelled at once; the clinic keeps what it received and the
/// next start resumes from there.
struct ClinicPushService: Service, CustomStringConvertible {
    let store: any SessionStore
    let dataDirectory: String
    let settings: ClinicPusher.Settings
    let logger: Logger

    var description: String { "ClinicPushService" }

    var pairingPath: String { ClinicPairing.path(dataDirectory: dataDirectory) }

    func run() async {
        let path = pairingPath, store = store, settings = settings, logger = logger
        let workFolder = dataDirectory + "/clinic-push"
        await cancelWhenGracefulShutdown {
            var reported: String?
            while !Task.isCancelled {
                let pairing: ClinicPairing?
                do {
                    pairing = try ClinicPairing.load(path: path)
                } catch {
                    if reported != "\(error)" { logger.error("clinic push off: \(error)") }
                    reported = "\(error)"
                    try? await Task.sleep(nanoseconds: UInt64(settings.pollIntervalS * 1e9))
                    continue
                }
                guard let pairing else {
                    try? await Task.sleep(nanoseconds: UInt64(settings.pollIntervalS * 1e9))
                    continue
                }
                do {
                    let pusher = try ClinicPusher(store: store, pairing: pairing, workFolder: workFolder, settings: settings, logger: logger)
                    reported = nil
                    logger.info("pushing sessions to the clinic \(pusher.clinic)")
                    await pusher.run(whilePaired: { (try? ClinicPairing.load(path: path)) == pairing })
                } catch {
                    if reported != "\(error)" { logger.error("clinic push off: \(error)") }
                    reported = "\(error)"
                    try? await Task.sleep(nanoseconds: UInt64(settings.pollIntervalS * 1e9))
                }
            }
        }
        logger.info("clinic push stopped")
    }
}
