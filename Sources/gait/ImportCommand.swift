import ArgumentParser
import Foundation
import SessionStore

/// `gait import FILE...`: stores session files (raw samples and analysis) in the session database.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store session files (CSV or .bsession) with their analysis in the session database.",
        discussion: """
        Each file is read once: its samples are stored compressed (the source of truth) while the \
        analysis engine runs over them, and the session is committed whole or not at all. A file \
        imported before (same content, or the same clip session) is not stored again. Exit status: \
        0 when every file was stored or already there, 65 when a file could not be read.
        """
    )

    @Argument(help: "Session files: CSV in any format `gait analyze` reads, or clip sessions (.bsession).")
    var files: [String]

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    @Option(help: "The runner who ran these sessions (added if new); their flags are then computed against the runner's history.")
    var runner: String?

    @Option(help: "The shoes worn (a name; added to the runner's shoes if new). Needs --runner.")
    var shoe: String?

    @Option(name: .customLong("shoe-distance"), help: "Distance already run in the shoes before they were recorded here, km.")
    var shoeDistanceKm: Double?

    @Option(name: .customLong("distance"), help: "Distance of the session, km (from a watch or a log; the clip cannot measure it). With several files, each gets it.")
    var distanceKm: Double?

    @Option(name: .customLong("started-at"), help: "Start of the session (ISO 8601, e.g. 2026-05-01T07:12:00Z) when the file does not say; weekly load needs it.")
    var startedAt: String?

    func validate() throws {
        if shoe != nil && runner == nil { throw ValidationError("--shoe needs --runner (shoes belong to a runner).") }
        if shoeDistanceKm != nil && shoe == nil { throw ValidationError("--shoe-distance needs --shoe.") }
        if let km = distanceKm, !(km > 0 && km < 1000) { throw ValidationError("--distance must be between 0 and 1000 km, got \(km).") }
        if let km = shoeDistanceKm, !(km >= 0 && km < 100_000) { throw ValidationError("--shoe-distance must be 0 to 100000 km, got \(km).") }
        if let text = startedAt, StoreCommandSupport.parseDate(text) == nil {
            throw ValidationError("--started-at must be an ISO 8601 date and time such as 2026-05-01T07:12:00Z, got '\(text)'.")
        }
        if startedAt != nil && files.count > 1 { throw ValidationError("--started-at applies to one file; import files one at a time to date them.") }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        var failed = false
        var runnerID: Int64?
        var shoeID: Int64?
        do {
            if let runner { runnerID = try store.runner(named: runner, create: true)?.id }
            if let shoe, let runnerID {
                shoeID = try store.shoe(named: shoe, runnerID: runnerID, create: true, distanceSoFarKm: shoeDistanceKm)?.id
            }
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        var imported: [SessionID] = []
        for file in files {
            do {
                let (id, inserted) = try store.importFile(path: file)
                print(inserted ? "\(file): stored as session \(id)" : "\(file): already stored as session \(id)")
                imported.append(id)
                if runnerID != nil || shoeID != nil || distanceKm != nil || startedAt != nil {
                    try store.assign(sessionID: id, runnerID: runnerID, shoeID: shoeID, distanceKm: distanceKm,
                                     startedAt: startedAt.flatMap(StoreCommandSupport.parseDate))
                }
            } catch {
                Terminal.error("gait: \(error)")
                failed = true
            }
        }
        // Flags: against the runner's whole history (in start order), or the session alone.
        do {
            if let runnerID {
                _ = try store.reinferRunner(runnerID: runnerID)
            } else {
                for id in imported { _ = try store.inferFlags(sessionID: id) }
            }
            for id in imported {
                let flags = try store.storedFlags(sessionID: id)
                if !flags.isEmpty {
                    print("  session \(id): " + flags.map { "\($0.id) (\($0.severity.rawValue))" }.joined(separator: ", "))
                }
            }
        } catch {
            Terminal.error("gait: the sessions are stored, but their flags could not be computed: \(error)")
            throw ExitCode(74)
        }
        if failed { throw ExitCode(65) }
    }
}

/// Opening the store for the store commands.
enum StoreCommandSupport {
    /// Opens the database at `path` (or the default), printing one line and exiting 73 if it cannot.
    static func open(_ path: String?) throws -> SQLiteSessionStore {
        do {
            return try SQLiteSessionStore(path: path ?? SQLiteSessionStore.defaultPath)
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(73)
        }
    }

    /// "2026-05-01 07:12" in the session's zone, or "—" when the start is unknown.
    static func localTime(_ date: Date?, zone: String) -> String {
        guard let date else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// An ISO 8601 date and time ("2026-05-01T07:12:00Z", with or without fractional seconds).
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// "1:02:03" or "12:34".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let h = total / 3600, m = total / 60 % 60, s = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
