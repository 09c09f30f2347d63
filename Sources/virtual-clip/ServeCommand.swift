import ArgumentParser
import Foundation

/// `virtual-clip serve`: keeps the clips plugged in and prints the environment to use them.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Host the virtual clips until interrupted and print the environment other shells need.",
        discussion: """
        Paste the printed export lines into another shell, then run e.g. gait devices. With --control FIFO, \
        echo 'unplug 1' > FIFO unplugs the first clip and echo 'plug 1' > FIFO plugs it in again.
        """
    )

    @OptionGroup var clipOptions: ClipOptions

    @Flag(help: "Also print each clip's umockdev device description.")
    var verbose = false

    func run() throws {
        // SIGINT and SIGTERM end the wait below, so that the testbed removes its directory.
        let interrupted = DispatchSemaphore(value: 0)
        var signalSources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { interrupted.signal() }
            source.resume()
            signalSources.append(source)
        }

        let testbed = try clipOptions.makeTestbed()
        try clipOptions.startSchedule(on: testbed)
        var lines = [
            "# virtual-clip: \(testbed.clips.count) clip(s) on the testbed \(testbed.rootDirectory)",
        ]
        for clip in testbed.clips {
            lines.append("#   \(clip.description.serialNumber) at \(clip.deviceNode)\(clip.isPlugged ? "" : " (unplugged)")")
        }
        lines += [
            "# In another shell (Ctrl-C here removes the clips):",
            "export UMOCKDEV_DIR=\(testbed.rootDirectory)",
            "export LD_PRELOAD=\(VirtualTestbed.preloadLibrary)",
        ]
        if let control = clipOptions.control {
            lines.append("# Plug and unplug: echo 'unplug 1' > \(control); echo 'plug 1' > \(control)")
        }
        if verbose { lines += testbed.clips.map(\.umockdevDescription) }
        print(lines.joined(separator: "\n"))
        fflush(nil)

        interrupted.wait()
        if let control = clipOptions.control { unlink(control) }
        testbed.shutDown()
        withExtendedLifetime(signalSources) {}
    }
}
