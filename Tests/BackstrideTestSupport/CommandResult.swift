import Foundation

/// What a finished child process left: its exit status and both outputs.
public struct CommandResult: Sendable {
    /// The exit status (or the signal number, when the process was killed).
    public var status: Int32
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String
    /// Wall time from launch to exit, in milliseconds.
    public var elapsedMs: Int

    /// The standard output's non-empty lines.
    public var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
}

/// Runs `executable` with `arguments` and waits for it, capturing both outputs (pipes, so never a
/// terminal). `environment` replaces the inherited one when given; `input` is written to standard
/// input, which is then closed; after `timeoutS` seconds the process is sent SIGTERM.
///
/// `cpuLimitS` bounds the processor time the process may use (RLIMIT_CPU through util-linux's
/// `prlimit`): beyond it the kernel sends SIGXCPU, and SIGKILL a second later, so `status` is
/// then 24 or 9. A bound on work, unlike wall time, does not depend on what else the machine runs.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       input: Data? = nil, timeoutS: Double? = nil, cpuLimitS: Int? = nil) throws -> CommandResult {
    let process = Process()
    if let cpuLimitS {
        guard let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw CPULimitUnavailable()
        }
        process.executableURL = URL(fileURLWithPath: prlimit)
        process.arguments = ["--cpu=\(cpuLimitS):\(cpuLimitS + 1)", "--", executable.path] + arguments
    } else {
        process.executableURL = executable
        process.arguments = arguments
    }
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    if input != nil { process.standardInput = stdin }
    let start = Date()
    try process.run()
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    if let timeoutS { DispatchQueue.global().asyncAfter(deadline: .now() + timeoutS, execute: watchdog) }
    if let input {
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
    }
    // Both pipes are drained at once, so a child that fills one cannot stall on it.
    nonisolated(unsafe) var errorData = Data()
    let errorRead = DispatchGroup()
    DispatchQueue.global().async(group: errorRead) { errorData = err.fileHandleForReading.readDataToEndOfFile() }
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    errorRead.wait()
    process.waitUntilExit()
    watchdog.cancel()
    return CommandResult(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                         standardError: String(decoding: errorData, as: UTF8.self),
                         elapsedMs: Int(Date().timeIntervalSince(start) * 1000))
}

/// `runProcess(cpuLimitS:)` needs util-linux's `prlimit`.
public struct CPULimitUnavailable: Error, CustomStringConvertible {
    public var description: String { "prlimit (util-linux) is not installed: a processor-time bound cannot be set" }
}
