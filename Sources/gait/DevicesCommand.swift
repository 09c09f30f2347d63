import ArgumentParser
import ClipUSB

/// `gait devices`: lists the clips connected over USB.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the Backstride clips connected over USB (serial, firmware version, bus and address).",
        discussion: """
        Prints one line per clip. Prints "no clip found" and exits 0 when none is connected; exits 1 when \
        a clip cannot be opened (for instance without the udev rule Firmware-protocol/70-backstride-clip.rules).
        """
    )

    // Synchronous: the root command is synchronous, and the main thread is not part of Swift's
    // cooperative pool, so libusb may block it.
    func run() throws {
        let clips: [ClipDeviceInfo]
        do {
            let context = try ClipUSBContext()
            clips = try context.listClips()
        } catch let error as ClipUSBError {
            Terminal.error("gait: \(error)")
            throw ExitCode(1)
        }
        guard !clips.isEmpty else {
            print("no clip found (VID 0x1209, PID 0x4A17)")
            return
        }
        print("SERIAL           FIRMWARE  BUS  ADDRESS")
        for clip in clips {
            let serial = clip.serialNumber ?? "?"
            print(pad(Terminal.printable(serial), 17) + pad(Terminal.printable(clip.firmwareVersion), 10) + pad(String(clip.busNumber), 5) + String(clip.address))
        }
        let denied = clips.compactMap(\.accessError)
        for error in denied { Terminal.error("gait: \(error)") }
        if !denied.isEmpty { throw ExitCode(1) }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
