import ArgumentParser
import Foundation
import SessionIngest
import SessionStore

/// `gait reanalyze`: recomputes every stored session's analysis from its raw samples.
struct ReanalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reanalyze",
        abstract: "Recompute every session's analysis from its stored raw samples with this version's analysis engine.",
        discussion: """
            Runs on all cores and prints sessions/s. Ctrl-C (SIGINT or SIGTERM) stops it after the sessions in \
            progress; the sessions done are listed in <database>.reanalysis, and the next `gait reanalyze` goes on \
            from there (--restart starts over). Exit status 0 when every session was re-analysed, 1 when some could \
            not be, 130 when interrupted.
            """
    )

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    @Flag(help: "Never show the progress line (it is shown only on a terminal).")
    var noProgress = false

    @Flag(help: "Forget an interrupted re-analysis and re-analyse every session.")
    var restart = false

    /// `<database>.reanalysis` beside a SQLite file; for a PostgreSQL URL, a file named by a hash
    /// of the URL in `$XDG_STATE_HOME/backstride` (or `~/.local/state/backstride`).
    static func checkpointPath(_ database: String?) -> String {
        guard let url = database, url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            return (database ?? SQLiteSessionStore.defaultPath) + ".reanalysis"
        }
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/state")
        let folder = state + "/backstride"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/reanalysis-" + ContentHash.of(Array(url.utf8)).prefix(16)
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        let checkpoint = ReanalysisCheckpoint(path: Self.checkpointPath(database))
        if restart { checkpoint.remove() }
        let done = checkpoint.completedIDs()
        if !done.isEmpty {
            Terminal.error("gait: resuming an interrupted re-analysis: \(done.count) session(s) already done (--restart to start over)")
        }
        let stop = StopRequest()
        let progress = ProgressBox(Terminal.Progress(label: "re-analysing", enabled: !noProgress))
        let report: SessionIngest.ReanalysisReport
        let start = ContinuousClock.now
        do {
            report = try StoreCommandSupport.ingest(store).reanalyzeAll(
                skipping: done, completed: { checkpoint.append($0) }, shouldStop: { stop.requested },
                progress: { done, total in progress.update(done: done, total: total) })
        } catch {
            progress.finish()
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        progress.finish()
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print(String(format: "re-analysed %d session(s) in %.1f s (%.2f sessions/s on %d cores), %d changed%@", report.sessionCount, seconds,
                     seconds > 0 ? Double(report.sessionCount) / seconds : 0, ProcessInfo.processInfo.activeProcessorCount, report.changedCount,
                     report.skippedCount > 0 ? "; \(report.skippedCount) done before" : ""))
        for failure in report.failures { Terminal.error("gait: \(failure)") }
        if report.interrupted {
            Terminal.error("gait: interrupted; run gait reanalyze again to go on (flags are recomputed when every session is done)")
            throw ExitCode(130)
        }
        checkpoint.remove()
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}

/// The sessions an interrupted re-analysis finished, one id a line, appended as each is stored
/// (a torn last line is ignored).
private final class ReanalysisCheckpoint: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var handle: FileHandle?

    init(path: String) { self.path = path }

    func completedIDs() -> Set<SessionID> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        // Only whole lines: a line without its newline was being written when the run stopped.
        let whole = text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex)])
        return Set(whole.split(separator: "\n").compactMap { SessionID($0) })
    }

    func append(_ id: SessionID) {
        lock.withLock {
            if handle == nil {
                if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
                handle = FileHandle(forWritingAtPath: path)
                _ = try? handle?.seekToEnd()
            }
            try? handle?.write(contentsOf: Data("\(id)\n".utf8))
        }
    }

    func remove() {
        lock.withLock {
            try? handle?.close()
            handle = nil
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

/// SIGINT and SIGTERM ask the re-analysis to stop after the sessions in progress.
private final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.lock.withLock { self?.flag = true } }
            source.resume()
            sources.append(source)
        }
    }

    var requested: Bool { lock.withLock { flag } }
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
