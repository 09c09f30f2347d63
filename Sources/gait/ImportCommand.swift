import ArgumentParser
import Foundation
import GaitInference
import Logging
import SessionIngest
import SessionStore

/// `gait import FILE...`: stores session files (raw samples and analysis) in the session database.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store session files (CSV or .bsession) with their analysis in the session database.",
        discussion: """
        Each file is read once, outside any database transaction: its samples are compressed (the \
        source of truth) while the analysis engine runs over them; its flags are computed against the \
        runner's history; then the session is committed whole, in one short write. A clip session \
        (.bsession) belongs to its clip's owner unless --runner says otherwise; the runner's current \
        shoes are used unless --shoe says otherwise. A file imported before (same content, or the same \
        clip session) is not stored again, except that a more complete copy of a clip session (more \
        samples in blocks that verified) replaces a truncated or damaged one, keeping its id, runner, \
        shoes, pain log, notes and watch pairing. An incomplete clip session is stored with the reason; \
        one without a valid sample is refused. Exit status: 0 when every file was stored or already \
        there, 65 when a file could not be read or a runner or shoe was refused.
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

    @Option(name: .customLong("watch"), help: "The runner's watch file for the session (FIT, GPX or TCX): aligned by clock and cadence, it gives speed and slope for matched comparisons and the distance; refused when it does not match.")
    var watch: String?

    func validate() throws {
        if shoe != nil && runner == nil { throw ValidationError("--shoe needs --runner (shoes belong to a runner).") }
        if shoeDistanceKm != nil && shoe == nil { throw ValidationError("--shoe-distance needs --shoe.") }
        if let km = distanceKm, !(km > 0 && km < 1000) { throw ValidationError("--distance must be between 0 and 1000 km, got \(km).") }
        if let km = shoeDistanceKm, !(km >= 0 && km < 100_000) { throw ValidationError("--shoe-distance must be 0 to 100000 km, got \(km).") }
        if let text = startedAt, StoreCommandSupport.parseDate(text) == nil {
            throw ValidationError("--started-at must be an ISO 8601 date and time such as 2026-05-01T07:12:00Z, got '\(text)'.")
        }
        if startedAt != nil && files.count > 1 { throw ValidationError("--started-at applies to one file; import files one at a time to date them.") }
        if watch != nil && files.count > 1 { throw ValidationError("--watch applies to one file; import files one at a time with their watch files.") }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        let ingest = StoreCommandSupport.ingest(store)
        let attribution = Attribution(runner: runner, createRunner: true, shoe: shoe, shoeDistanceKm: shoeDistanceKm,
                                      distanceKm: distanceKm, startedAt: startedAt.flatMap(StoreCommandSupport.parseDate), watchPath: watch)
        var failed = false
        for file in files {
            do {
                let result = try ingest.ingestFile(path: file, attribution: attribution)
                guard result.inserted else {
                    print("\(Terminal.printable(file)): already stored as session \(result.id)")
                    continue
                }
                if let replaced = result.replaced {
                    print("\(Terminal.printable(file)): replaced the less complete copy stored as session \(result.id) "
                          + "(\(replaced.previousSampleCount) samples, now \(replaced.sampleCount)); its runner, shoes, pain log, notes and watch pairing are kept")
                } else {
                    print("\(Terminal.printable(file)): stored as session \(result.id)")
                }
                if let reason = result.incompleteReason { print("  incomplete: " + Terminal.printable(reason)) }
                if let speed = try store.sessionSpeed(sessionID: result.id) {
                    print("  " + Self.pairing(speed, sessionStart: try store.session(id: result.id)?.startedAt))
                }
                if !result.flags.isEmpty {
                    print("  session \(result.id): " + result.flags.map { "\($0.id) (\($0.severity.rawValue))" }.joined(separator: ", "))
                }
            } catch {
                Terminal.error("gait: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(65) }
    }

    /// One line on a watch pairing: the file, the offset, how well the cadences agree, speed and distance.
    static func pairing(_ speed: SessionSpeed, sessionStart: Date?) -> String {
        var parts = [String(format: "paired with %@ (%@)", speed.source, speed.method)]
        if let start = sessionStart { parts.append(String(format: "watch clock %+.1f s from the session's", speed.offsetS - start.timeIntervalSince1970)) }
        if let r = speed.cadenceCorrelation { parts.append(String(format: "cadence r = %.2f", r)) }
        if let d = speed.cadenceDifferenceSPM { parts.append(String(format: "cadences differ by %.1f steps/min", d)) }
        parts.append(String(format: "%.0f %% of the running covered", speed.overlap * 100))
        if let km = speed.distanceKm { parts.append(String(format: "%.2f km", km)) }
        return parts.joined(separator: ", ")
    }
}

/// Opening the store for the store commands.
enum StoreCommandSupport {
    /// Opens the database at `path` (or the default), printing one line and exiting 73 if it cannot.
    /// A `postgres://user@host:port/database` URL opens a clinic's PostgreSQL store instead (its
    /// first administrator is added this way: `gait account add ada --role admin --database postgres://…`).
    static func open(_ path: String?) throws -> any SessionStore {
        do {
            if let path, path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") {
                return try PostgresSessionStore(url: path)
            }
            return try SQLiteSessionStore(path: path ?? SQLiteSessionStore.defaultPath)
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(73)
        }
    }

    /// The store as errors name it: the SQLite file, or the PostgreSQL URL without its password.
    static func name(_ store: any SessionStore) -> String {
        if let sqlite = store as? SQLiteSessionStore { return sqlite.path }
        if let postgres = store as? PostgresSessionStore { return postgres.location.description }
        return "the session store"
    }

    /// Prints one line for a failed store command and returns its exit status: 65 when the store
    /// refused what was asked (unknown session, runner or shoe, a clip another runner owns, a bad
    /// value), 74 when the database failed.
    static func fail(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        Terminal.error("gait: \(error)")
        let storeError = (error as? SessionIngestError)?.storeError ?? error as? SessionStoreError
        switch storeError {
        case .noSuchSession, .noSuchRunner, .noSuchShoe, .clipOwnedByAnotherRunner, .invalidValue: return ExitCode(65)
        default: return ExitCode(74)
        }
    }

    /// The one way in over `store`; what does not fail a command (flags left pending) is logged on stderr.
    static func ingest(_ store: any SessionStore) -> SessionIngest {
        SessionIngest(store: store, logger: Logger(label: "gait") { _ in TerminalLogHandler() })
    }

    /// "2026-05-01 07:12" in the session's zone, or "unknown" when the start cannot be known.
    static func localTime(_ date: Date?, zone: String) -> String {
        guard let date else { return "unknown" }
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
        // A stored duration that is not finite or absurd (a session analysed before the readers
        // refused spans beyond 7 days) prints as a dash, never as a negative clock or a trap.
        guard seconds.isFinite, seconds >= 0, seconds < 3.6e9 else { return "–" }
        let total = Int(seconds.rounded())
        let h = total / 3600, m = total / 60 % 60, s = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
