#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Logging
import SessionIO

/// Terminal helpers for the executables: stderr lines, a progress line, error-to-exit mapping.
enum Terminal {
    /// `text` with control characters (escape sequences, newlines) shown as `\u{…}`, for names
    /// that came from outside (a clip's serial, a file's device field) before they reach a terminal.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.flatMap { scalar -> [Character] in
            scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                ? Array("\\u{\(String(scalar.value, radix: 16))}") : [Character(scalar)]
        })
    }

    /// `text` with control characters escaped as `printable` does, except line feeds: for a
    /// message or summary of several lines that may quote names from outside. A carriage return or
    /// an escape sequence can no longer rewrite what the terminal shows.
    static func printableLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { printable(String($0)) }.joined(separator: "\n")
    }

    /// Writes one line to standard error; control characters from names quoted in it are escaped.
    static func error(_ message: String) {
        writeStandardError(printableLines(message) + "\n")
    }

    /// Refuses, before anything is written, an output that is one of `protected` (the inputs, the
    /// database): the same file by device and inode, so another spelling or a link is caught too.
    /// Prints one line and exits 64 (EX_USAGE); an output that does not exist yet is always safe.
    static func refuseOverwriting(_ outputs: [String?], protected: [(path: String, role: String)]) throws {
        for case let output? in outputs {
            guard let target = fileIdentity(output) else { continue }
            for (path, role) in protected where fileIdentity(path) == target {
                error("gait: refusing to write \(output): it is \(role) (\(path)); choose another output file")
                throw ExitCode(64)
            }
        }
    }

    /// The session database and the files SQLite keeps beside it, as `refuseOverwriting` protects them.
    static func databaseFiles(_ path: String) -> [(path: String, role: String)] {
        [(path, "the session database")] + ["-wal", "-shm", "-journal"].map { (path + $0, "a file of the session database") }
    }

    /// Device and inode of the file at `path` (links followed), or nil when there is none.
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    /// Writes text to file descriptor 2, unbuffered.
    static func writeStandardError(_ text: String) {
        _ = writeAll(text, to: 2)
    }

    /// Writes all of `text` to a file descriptor; false if the system refused.
    static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Writes `text` to the file at `path` (created or truncated, never replaced); reports failure on stderr.
    static func writeFile(_ text: String, toPath path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            error("gait: cannot write \(path): \(String(cString: strerror(errno)))")
            return false
        }
        defer { close(descriptor) }
        guard writeAll(text, to: descriptor) else {
            error("gait: cannot write \(path): \(String(cString: strerror(errno)))")
            return false
        }
        return true
    }

    /// Whether standard error is a terminal (progress is shown only there, never in pipes).
    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// A progress line that rewrites itself on a terminal; silent otherwise.
    struct Progress {
        let label: String
        let enabled: Bool
        var lastPercent = -1

        init(label: String, enabled: Bool) {
            self.label = label
            self.enabled = enabled && Terminal.stderrIsTerminal
        }

        mutating func update(done: Int, total: Int) {
            guard enabled, total > 0 else { return }
            let percent = min(100, done * 100 / total)
            guard percent != lastPercent else { return }
            lastPercent = percent
            writeStandardError("\r\(label) \(percent)%")
        }

        func finish() {
            guard enabled, lastPercent >= 0 else { return }
            writeStandardError("\r\u{1B}[K")
        }
    }

    /// Runs `body`, turning a reading/writing error into its message and exit code.
    static func io<T>(_ body: () throws(SessionIOError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw fail(error)
        }
    }

    /// Prints a reading error as one clear line and returns the exit code for it.
    static func fail(_ error: SessionIOError) -> ExitCode {
        Terminal.error("gait: \(error)")
        switch error {
        case .cannotOpen: return ExitCode(66)  // EX_NOINPUT
        case .writeFailed, .unwritableValue: return ExitCode(73)  // EX_CANTCREAT
        default: return ExitCode(65)  // EX_DATAERR
        }
    }
}

/// Log lines of the libraries (a flag computation left pending) as "gait: …" on stderr.
struct TerminalLogHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        Terminal.error("gait: \(event.message)")
    }
}
