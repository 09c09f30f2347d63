import ArgumentParser
import ClipProtocol

/// Which device behaviour backs each virtual clip.
enum VirtualDeviceModel: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `ClipSimulator`: the clip's firmware, with GaitSynth sessions in its flash.
    case simulator
    /// `EchoClipDevice`: echoes OUT data on IN, with text-command fault injection.
    case echo

    /// A fresh device for the clip with this serial number and firmware version (BCD).
    func makeDevice(serialNumber: String, firmwareBCD: UInt16, simulator: SimulatorOptions) -> ClipDeviceEndpoints {
        switch self {
        case .simulator: return simulator.makeSimulator(serialNumber: serialNumber, firmwareBCD: firmwareBCD)
        case .echo: return EchoClipDevice()
        }
    }
}
