import ArgumentParser
import ClipSync
import ClipUSB
import Foundation
import SessionIngest

/// `gait sync`: downloads every new session from the connected clips into the local archive.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Download every new session from the connected clips, verify and store it, then let the clip erase it.",
        discussion: """
        Each session is read in pieces (an interrupted download resumes where it stopped), every block \
        and the session checksum are verified, bad blocks are read again, and the session is written \
        durably before the clip is told it may erase it. Each stored session then goes into the session \
        database, analysed, as the clip owner's (`gait clip assign`), with their current shoes and its \
        start time corrected against this computer's clock. Sessions already stored are never stored \
        twice. Exit status: 0 when everything was stored, 1 when a clip could not be synced completely \
        (its remaining sessions stay on the clip for the next sync) or a session could not be analysed \
        into the database (it stays in the archive and is stored at the next sync).
        """
    )

    @Option(help: "The session archive (default: $XDG_DATA_HOME/backstride/sessions or ~/.local/share/backstride/sessions).")
    var store: String?

    @Option(help: "The session database the synced sessions go into (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    @Option(help: "Only sync the clip with this serial number.")
    var serial: String?

    @Flag(help: "Store sessions but leave them on the clip (no acknowledgement, nothing erased).")
    var noErase = false

    @Option(help: "Milliseconds to wait for the clip in one transfer.")
    var timeoutMs: Int = 1000

    func validate() throws {
        guard timeoutMs >= 10, timeoutMs <= 60_000 else { throw ValidationError("--timeout-ms must be 10 to 60000, got \(timeoutMs).") }
    }

    /// The default archive under the XDG data directory.
    static var defaultStore: String {
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return data + "/backstride/sessions"
    }

    func run() throws {
        let archive: SessionArchive
        do { archive = try SessionArchive(root: store ?? Self.defaultStore) } catch { Terminal.error("gait: \(error)"); throw ExitCode(73) }
        let clips: [ClipDeviceInfo]
        let context: ClipUSBContext
        do {
            context = try ClipUSBContext()
            clips = try context.listClips().filter { serial == nil || $0.serialNumber == serial }
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(1)
        }
        guard !clips.isEmpty else {
            print(Terminal.printable(serial.map { "no clip with serial \($0) found" } ?? "no clip found (VID 0x1209, PID 0x4A17)"))
            return
        }
        let store = try StoreCommandSupport.open(database)
        let ingest = StoreCommandSupport.ingest(store)
        var failures = 0
        for clip in clips {
            let name = clip.serialNumber ?? "bus \(clip.busNumber) address \(clip.address)"
            do {
                let connection = try context.open(clip)
                defer { connection.close() }
                let client = ClipClient(transport: connection, serial: name, timeoutMs: timeoutMs)
                let synchronizer = ClipSynchronizer(client: client, archive: archive, erase: !noErase)
                synchronizer.progress = { line in print(Terminal.printable(line)) }
                let report = try synchronizer.run()
                print(Terminal.printableLines(summary(report)))
                // Whatever is in the archive and not yet in the database (this sync's and any an
                // interrupted sync left) goes in now.
                let pending = ingest.completePending(archive: archive)
                for id in pending.storedFromArchive {
                    let session = try? store.session(id: id)
                    let owner: String? = session?.runnerId.flatMap { id in (try? store.runner(id: id))??.name }
                    print(Terminal.printable("session \(id) stored in the database" + (owner.map { " for \($0)" } ?? " (unassigned)"))
                          + ", started " + StoreCommandSupport.localTime(session?.startedAt, zone: session?.timeZone ?? "UTC"))
                }
                for failure in pending.failures { Terminal.error("gait: \(failure)") }
                if !pending.failures.isEmpty { failures += 1 }
                if !report.failed.isEmpty {
                    for (id, reason) in report.failed.sorted(by: { $0.key < $1.key }) {
                        Terminal.error("gait: clip \(report.serial) session \(id) not stored: \(reason); it stays on the clip")
                    }
                    failures += 1
                }
            } catch {
                Terminal.error("gait: \(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    func summary(_ report: SyncReport) -> String {
        "\(report) → \(store ?? Self.defaultStore)"
    }
}
