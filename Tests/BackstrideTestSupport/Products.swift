import Foundation

/// Paths of the package and of the executables built with the test bundle, for tests that run
/// the real `gait`, `gaitd` and `virtual-clip`.
public enum Products {
    /// The package root (the folder holding Package.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the test bundle and the executables built with it: the first folder
    /// above the running test binary that holds `gait`, else `.build/debug`.
    public static let directory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("gait").path) { return url }
        }
        return root.appendingPathComponent(".build/debug")
    }()

    /// The `gait` executable of this build.
    public static var gait: URL { directory.appendingPathComponent("gait") }

    /// The `gaitd` executable of this build.
    public static var gaitd: URL { directory.appendingPathComponent("gaitd") }

    /// The `virtual-clip` executable of this build.
    public static var virtualClip: URL { directory.appendingPathComponent("virtual-clip") }

    /// The path of a file under `SampleData/`, e.g. `sample("synthetic/walk-run-walk.csv")`.
    public static func sample(_ relative: String) -> String { root.appendingPathComponent("SampleData/" + relative).path }
}
