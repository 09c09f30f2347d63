import Foundation

/// Paths of the repository and of the built executables, for tests that run the real `gait`.
enum Repository {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the test bundle and the executables built with it.
    static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("gait").path) { return url }
        }
        return root.appendingPathComponent(".build/debug")
    }

    /// The `gait` executable of this build.
    static var gait: URL { productsDirectory.appendingPathComponent("gait") }

    /// A sample file's path.
    static func sample(_ relative: String) -> String { root.appendingPathComponent("SampleData/" + relative).path }
}

/// The result of running a command.
struct CommandResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the real `gait` with `arguments`, capturing both outputs (pipes, so never a terminal).
func runGait(_ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = Repository.gait
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a large output cannot fill the pipe and stall the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
