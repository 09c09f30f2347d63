import ArgumentParser
import Foundation

/// `virtual-clip run [options] -- COMMAND...`: hosts the clips while COMMAND runs against them.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command that sees the virtual clips through the real libusb.",
        discussion: """
        The command runs with LD_PRELOAD=libumockdev-preload.so.0 and UMOCKDEV_DIR set to the testbed; \
        virtual-clip exits with the command's exit status. Example: virtual-clip run --clips 2 -- gait devices
        """
    )

    @OptionGroup var clipOptions: ClipOptions

    @Argument(parsing: .postTerminator, help: "The command to run, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("Give the command to run after --, e.g. virtual-clip run -- gait devices") }
    }

    func run() throws {
        let testbed = try clipOptions.makeTestbed()
        try clipOptions.startSchedule(on: testbed)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = testbed.hostEnvironment()
        try process.run()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        testbed.shutDown()
        throw ExitCode(status)
    }
}
