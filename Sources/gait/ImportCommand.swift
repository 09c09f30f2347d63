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

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        var failed = false
        for file in files {
            do {
                let (id, inserted) = try store.importFile(path: file)
                print(inserted ? "\(file): stored as session \(id)" : "\(file): already stored as session \(id)")
            } catch {
                Terminal.error("gait: \(error)")
                failed = true
            }
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

    /// "1:02:03" or "12:34".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let h = total / 3600, m = total / 60 % 60, s = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
