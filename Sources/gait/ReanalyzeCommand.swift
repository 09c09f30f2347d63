import ArgumentParser
import Foundation
import SessionIngest
import SessionStore

/// `gait reanalyze`: recomputes every stored session's analysis from its raw samples.
struct ReanalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reanalyze",
        abstract: "Recompute every session's analysis from its stored raw samples with this version's analysis engine.",
        discussion: "Runs on all cores. Exit status 0 when every session was re-analysed, 1 when some could not be."
    )

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    @Flag(help: "Never show the progress line (it is shown only on a terminal).")
    var noProgress = false

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        let progress = ProgressBox(Terminal.Progress(label: "re-analysing", enabled: !noProgress))
        let report: SessionIngest.ReanalysisReport
        let start = ContinuousClock.now
        do {
            report = try StoreCommandSupport.ingest(store).reanalyzeAll(progress: { done, total in progress.update(done: done, total: total) })
        } catch {
            progress.finish()
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        progress.finish()
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print(String(format: "re-analysed %d session(s) in %.1f s (%.2f sessions/s on %d cores), %d changed", report.sessionCount, seconds,
                     seconds > 0 ? Double(report.sessionCount) / seconds : 0, ProcessInfo.processInfo.activeProcessorCount, report.changedCount))
        for failure in report.failures { Terminal.error("gait: \(failure)") }
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}

/// The progress line, updated from the re-analysis worker threads.
private final class ProgressBox: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: Terminal.Progress

    init(_ progress: Terminal.Progress) { self.progress = progress }

    func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        progress.update(done: done, total: total)
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        progress.finish()
    }
}
