import ArgumentParser

/// `virtual-clip`: fake Backstride clips on a umockdev testbed, served through the real libusb.
@main
struct VirtualClipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtual-clip",
        abstract: "Virtual Backstride clips on a umockdev testbed, for running gait and gaitd without hardware.",
        subcommands: [RunCommand.self, ServeCommand.self, ProbeCommand.self]
    )
}
