/// The USB identity of a Backstride clip: pid.codes vendor, product, interface and endpoints.
public enum ClipUSBIdentifiers {
    /// The vendor ID (pid.codes, the open-source hardware vendor).
    public static let vendorID: UInt16 = 0x1209
    /// The product ID of the clip.
    public static let productID: UInt16 = 0x4A17
    /// The interface the host claims for the clip's bulk endpoints.
    public static let interfaceNumber: Int32 = 0
    /// The bulk OUT endpoint (host to clip).
    public static let bulkOutEndpoint: UInt8 = 0x01
    /// The bulk IN endpoint (clip to host).
    public static let bulkInEndpoint: UInt8 = 0x81
    /// The udev rule that gives the logged-in user access to the clip, relative to the repository.
    public static let udevRulePath = "Firmware-protocol/70-backstride-clip.rules"
}
