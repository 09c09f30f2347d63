import BackstrideTestSupport
import Foundation

/// The real `gaitd` running as a child process with its own data directory, an empty config
/// file, and (when given) a virtual clip's preload environment; its log goes to a file.
final class GaitdProcess {
    let process = Process()
    let dataDirectory: String
    let logPath: String

    /// Starts gaitd on `dataDirectory` with the clip's environment and extra `arguments`.
    init(dataDirectory: String, clip: VirtualClipServer? = nil, arguments: [String] = []) throws {
        self.dataDirectory = dataDirectory
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let config = dataDirectory + "/../gaitd-\(UUID().uuidString).conf"
        FileManager.default.createFile(atPath: config, contents: Data())
        logPath = dataDirectory + "/../gaitd-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: logPath, contents: Data())
        process.executableURL = Products.gaitd
        // The web server is off unless a test asks for it (parallel gaitd processes would share its port).
        let http = arguments.contains("--http-port") ? [] : ["--http-port", "0"]
        process.arguments = ["--data-dir", dataDirectory, "--config", config, "--poll-interval-ms", "100"] + http + arguments
        var environment = ProcessInfo.processInfo.environment.merging(clip?.environment ?? [:]) { $1 }
        environment["XDG_CONFIG_HOME"] = dataDirectory + "/../config"
        // A crash (SIGABRT, SIGSEGV) prints its backtrace into the log the failing test shows.
        environment["SWIFT_BACKTRACE"] = "enable=yes,output-to=stderr,interactive=no"
        process.environment = environment
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// What gaitd logged so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits up to `timeoutS` for the exit; returns the status, or nil if it
    /// did not exit (it is then killed).
    func terminate(timeoutS: Double = 5) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        guard waitUntil(timeoutS: timeoutS, { !process.isRunning }) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// SIGKILL: no chance to clean up, as in a power cut.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { killHard() } }
}
