import ArgumentParser
import Foundation
import SessionStore

/// `gait sessions`: lists the stored sessions, newest first.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the sessions in the session database, newest first."
    )

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    @Option(help: "Show at most this many sessions.")
    var limit: Int = 50

    @Flag(help: "Only sessions no runner has been given yet (`gait assign ID --runner NAME` gives one).")
    var unassigned = false

    @Option(help: "Only this runner's sessions.")
    var runner: String?

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, got \(limit).") }
        if unassigned && runner != nil { throw ValidationError("--unassigned and --runner exclude each other.") }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        let rows: [SessionSummaryRow]
        var names: [Int64: String] = [:]
        do {
            var filter = SessionFilter.all
            if unassigned { filter = .unassigned }
            if let runner {
                guard let id = try store.runner(named: runner, create: false)?.id else { throw SessionStoreError.noSuchRunner(runner) }
                filter = .runner(id)
            }
            rows = try store.sessions(limit: limit, filter: filter)
            for runner in try store.runners() { if let id = runner.id { names[id] = runner.name } }
        } catch {
            throw StoreCommandSupport.fail(error)
        }
        var lines = [pad("id", 6) + pad("start (local)", 18) + pad("duration", 10) + pad("source", 8) + pad("steps", 7) + pad("cadence", 9)
                     + pad("runner", 12) + "origin"]
        for row in rows {
            lines.append(
                pad(String(row.id), 6) + pad(StoreCommandSupport.localTime(row.startedAt, zone: row.timeZone), 18)
                    + pad(StoreCommandSupport.duration(row.durationS), 10) + pad(row.source.rawValue, 8)
                    + pad(row.stepCount.map(String.init) ?? "—", 7)
                    + pad(row.cadenceSpm.map { String(format: "%.0f spm", $0) } ?? "—", 9)
                    + pad(Terminal.printable(row.runnerID.map { names[$0] ?? "runner \($0)" } ?? "unassigned"), 12)
                    + Terminal.printable(row.origin ?? "")
                    + (row.incompleteReason.map { "  incomplete: " + Terminal.printable($0) } ?? ""))
        }
        if rows.isEmpty { lines.append(unassigned ? "no unassigned sessions" : "no sessions") }
        print(lines.joined(separator: "\n"))
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
