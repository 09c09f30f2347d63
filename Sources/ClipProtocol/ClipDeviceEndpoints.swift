/// What the device does with one bulk transfer the host submitted.
///
/// The virtual clip's USB handler turns each case into usbdevfs behaviour: `.completed` completes
/// the URB, `.pending` leaves an IN URB queued until data exists, `.stall` completes it with
/// `-EPIPE`, `.disconnect` completes every pending URB with `-ENODEV` and removes the device,
/// `.neverComplete` lets the host's timeout expire (the host discards the URB).
public enum EndpointOutcome: Sendable, Equatable {
    /// The transfer completes: for OUT, `count` bytes were accepted; for IN, `bytes` are returned.
    case completed(bytes: [UInt8], count: Int)
    /// IN only: nothing to send yet; ask again later.
    case pending
    /// The endpoint halts (the host must clear the halt).
    case stall
    /// The device is unplugged now.
    case disconnect
    /// The device never answers this transfer.
    case neverComplete
}

/// The device side of the clip's two bulk endpoints, as the firmware (or `ClipSimulator`) sees
/// them. The virtual clip's USB handler calls these for every URB, from one thread.
public protocol ClipDeviceEndpoints: AnyObject {
    /// The host wrote `bytes` to bulk OUT (endpoint 0x01).
    func bulkOut(_ bytes: [UInt8]) -> EndpointOutcome
    /// The host asks for at most `maxLength` bytes from bulk IN (endpoint 0x81).
    func bulkIn(maxLength: Int) -> EndpointOutcome
    /// The host cleared a halt on `endpoint`.
    func clearHalt(endpoint: UInt8)
    /// The host reset the device (USBDEVFS_RESET).
    func reset()
}
