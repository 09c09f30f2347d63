import Foundation

extension VirtualClipServer {
    /// Runs the real `gait` against the clips (with the server's preload environment) and waits for it.
    public func gait(_ arguments: [String]) throws -> CommandResult {
        try runProcess(Products.gait, arguments, environment: clientEnvironment)
    }

    /// Starts the real `gait` against the clips without waiting (for killing it mid-way); its
    /// outputs are discarded.
    public func startGait(_ arguments: [String]) throws -> Process {
        let child = Process()
        child.executableURL = Products.gait
        child.arguments = arguments
        child.environment = clientEnvironment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        return child
    }

    /// Waits until `gait devices` lists a clip (after a replug), up to `timeoutS` seconds.
    public func waitForClip(timeoutS: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if try gait(["devices"]).standardOutput.contains("BSC-") { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// This process's environment with the server's preload variables added.
    private var clientEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
}
