/// Which clip an error or event is about: its serial number when known, else its bus and address.
public struct ClipDeviceReference: Sendable, Hashable, CustomStringConvertible {
    /// The serial number string, or nil when it could not be read (e.g. permission denied).
    public var serialNumber: String?
    /// The USB bus number (1...).
    public var busNumber: UInt8
    /// The device address on that bus (1...127).
    public var address: UInt8

    /// Creates a reference from the bus position and, if known, the serial number.
    public init(serialNumber: String?, busNumber: UInt8, address: UInt8) {
        self.serialNumber = serialNumber
        self.busNumber = busNumber
        self.address = address
    }

    /// "clip CLIP-0001 (bus 1, address 5)" or "the clip at bus 1, address 5".
    public var description: String {
        if let serialNumber, !serialNumber.isEmpty {
            return "clip \(serialNumber) (bus \(busNumber), address \(address))"
        }
        return "the clip at bus \(busNumber), address \(address)"
    }
}
