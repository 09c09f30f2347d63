import ArgumentParser
import ClipProtocol

/// Which device behaviour backs each virtual clip: the seam where `ClipSimulator` plugs in.
enum VirtualDeviceModel: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `EchoClipDevice`: echoes OUT data on IN, with text-command fault injection.
    case echo

    // When ClipSimulator conforms to ClipDeviceEndpoints, add `case simulator` here and build it
    // in makeDevice (serial number and firmware version come from the clip's description).

    /// A fresh device for the clip with this serial number and firmware version (BCD).
    func makeDevice(serialNumber: String, firmwareBCD: UInt16) -> ClipDeviceEndpoints {
        switch self {
        case .echo: return EchoClipDevice()
        }
    }
}
