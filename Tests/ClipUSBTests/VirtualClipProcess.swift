import BackstrideTestSupport
import Foundation

/// Runs the built `virtual-clip` (which runs ClipUSB code, `virtual-clip probe` or `gait`, in a
/// child process under the umockdev preload). The test process itself never runs under the
/// preload and never links umockdev.
enum VirtualClipProcess {
    /// `virtual-clip run --device echo CLIP_OPTIONS -- virtual-clip probe STEPS`: these transport
    /// tests drive the echo device (the simulator is virtual-clip's default).
    static func probe(_ clipOptions: [String] = [], steps: [String]) throws -> CommandResult {
        try run(["run", "--device", "echo"] + clipOptions + ["--", Products.virtualClip.path, "probe"] + steps)
    }

    /// `virtual-clip run --device echo CLIP_OPTIONS -- gait ARGUMENTS`.
    static func gait(_ clipOptions: [String] = [], arguments: [String]) throws -> CommandResult {
        try run(["run", "--device", "echo"] + clipOptions + ["--", Products.gait.path] + arguments)
    }

    /// Runs `virtual-clip ARGUMENTS` outside any preload, killing it after `timeoutS` seconds.
    static func run(_ arguments: [String], timeoutS: Double = 20) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LD_PRELOAD")
        environment.removeValue(forKey: "UMOCKDEV_DIR")
        return try runProcess(Products.virtualClip, arguments, environment: environment, timeoutS: timeoutS)
    }
}
