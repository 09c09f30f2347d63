import Foundation

/// Runs the built `virtual-clip` (which runs ClipUSB code, `virtual-clip probe` or `gait`, in a
/// child process under the umockdev preload). The test process itself never runs under the
/// preload and never links umockdev.
enum VirtualClipProcess {
    /// The folder holding the test bundle and the executables built with it.
    static let productsDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("virtual-clip").path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug")
    }()

    static var virtualClip: String { productsDirectory.appendingPathComponent("virtual-clip").path }
    static var gait: String { productsDirectory.appendingPathComponent("gait").path }

    /// The result of one run.
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var elapsedMs: Int

        /// The standard output's lines.
        var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    /// `virtual-clip run --device echo CLIP_OPTIONS -- virtual-clip probe STEPS`: these transport
    /// tests drive the echo device (the simulator is virtual-clip's default).
    static func probe(_ clipOptions: [String] = [], steps: [String]) throws -> Result {
        try run(["run", "--device", "echo"] + clipOptions + ["--", virtualClip, "probe"] + steps)
    }

    /// `virtual-clip run --device echo CLIP_OPTIONS -- gait ARGUMENTS`.
    static func gait(_ clipOptions: [String] = [], arguments: [String]) throws -> Result {
        try run(["run", "--device", "echo"] + clipOptions + ["--", gait] + arguments)
    }

    /// Runs `virtual-clip ARGUMENTS`, killing it after `timeoutS` seconds.
    static func run(_ arguments: [String], timeoutS: Double = 20) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: virtualClip)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LD_PRELOAD")
        environment.removeValue(forKey: "UMOCKDEV_DIR")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = Date()
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutS, execute: watchdog)
        let errorReader = DispatchQueue(label: "stderr")
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        errorReader.async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                      standardError: String(decoding: errData, as: UTF8.self),
                      elapsedMs: Int(Date().timeIntervalSince(start) * 1000))
    }
}
