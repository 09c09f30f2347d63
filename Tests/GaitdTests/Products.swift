import Foundation

/// Paths of the repository and of the executables built with this test bundle.
enum Products {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the test bundle and the executables built with it.
    static var directory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("gaitd").path) { return url }
        }
        return root.appendingPathComponent(".build/debug")
    }

    static var gaitd: URL { directory.appendingPathComponent("gaitd") }
    static var virtualClip: URL { directory.appendingPathComponent("virtual-clip") }

    /// A sample file's path.
    static func sample(_ relative: String) -> String { root.appendingPathComponent("SampleData/" + relative).path }
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gaitd-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Polls `condition` every 50 ms until it holds or `timeoutS` passed; returns whether it held.
func waitUntil(timeoutS: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}
