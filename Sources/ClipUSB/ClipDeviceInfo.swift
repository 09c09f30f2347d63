/// One clip found on the bus, as listed by `ClipUSBContext.listClips()`.
public struct ClipDeviceInfo: Sendable, Hashable, CustomStringConvertible {
    /// The USB bus number (1...).
    public var busNumber: UInt8
    /// The device address on that bus (1...127); it changes at every plug-in.
    public var address: UInt8
    /// The serial number string descriptor, or nil when it could not be read (see `accessError`).
    public var serialNumber: String?
    /// The device release number (bcdDevice) that the firmware reports, in BCD: 0x0102 is 1.02.
    public var firmwareBCD: UInt16
    /// The vendor ID (0x1209 for a clip).
    public var vendorID: UInt16
    /// The product ID (0x4A17 for a clip).
    public var productID: UInt16
    /// Why the clip could not be opened to read its serial number (e.g. permission denied), or nil.
    public var accessError: ClipUSBError?

    /// Creates a description of a clip on the bus.
    public init(busNumber: UInt8, address: UInt8, serialNumber: String?, firmwareBCD: UInt16,
                vendorID: UInt16 = ClipUSBIdentifiers.vendorID, productID: UInt16 = ClipUSBIdentifiers.productID,
                accessError: ClipUSBError? = nil) {
        self.busNumber = busNumber
        self.address = address
        self.serialNumber = serialNumber
        self.firmwareBCD = firmwareBCD
        self.vendorID = vendorID
        self.productID = productID
        self.accessError = accessError
    }

    /// The firmware version as "major.minor" from the BCD release number: 0x0102 is "1.02".
    public var firmwareVersion: String {
        let major = Int(firmwareBCD >> 12) * 10 + Int((firmwareBCD >> 8) & 0xF)
        let minor = Int((firmwareBCD >> 4) & 0xF) * 10 + Int(firmwareBCD & 0xF)
        return "\(major).\(minor < 10 ? "0" : "")\(minor)"
    }

    /// The reference errors and events use for this clip.
    public var reference: ClipDeviceReference {
        ClipDeviceReference(serialNumber: serialNumber, busNumber: busNumber, address: address)
    }

    /// "CLIP-0001 firmware 1.02 at bus 1, address 5".
    public var description: String {
        "\(serialNumber ?? "(serial unreadable)") firmware \(firmwareVersion) at bus \(busNumber), address \(address)"
    }
}
