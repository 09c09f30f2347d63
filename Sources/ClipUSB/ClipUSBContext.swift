import CLibUSB
import Foundation

/// A libusb session: finds clips on the bus and opens them.
///
/// The synchronous methods block (they talk to the device) and are meant for a dedicated thread;
/// the `async` overloads run them on the context's own thread. A context may be shared between
/// threads: libusb's calls are thread-safe.
///
/// Listing and opening scan the bus afresh each time (a new libusb context per scan): libusb's
/// own device list only changes through hotplug events, which some systems (containers, CI,
/// no udev) never deliver, and a stale list would hide a clip plugged in later.
public final class ClipUSBContext: @unchecked Sendable {
    /// The long-lived libusb session (hotplug callbacks and event handling use it).
    let session: LibUSBSession
    let worker = BlockingCallThread(name: "clip-usb context")

    /// The libusb context of the long-lived session.
    var handle: OpaquePointer { session.handle }

    /// Initialises libusb. Throws when libusb cannot start (no usbfs, for instance).
    public init() throws {
        session = try LibUSBSession()
    }

    deinit {
        worker.stop()
    }

    /// Whether libusb can report arrivals and removals itself on this system.
    public var supportsHotplug: Bool {
        libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0
    }

    /// The clips on the bus (VID 0x1209, PID 0x4A17), ordered by bus and address, each with its
    /// serial number (read by opening the clip briefly) and firmware version.
    public func listClips() throws -> [ClipDeviceInfo] {
        try withClipDevices { _, devices in devices.map { describe($0) } }
            .sorted { ($0.busNumber, $0.address) < ($1.busNumber, $1.address) }
    }

    /// Opens a clip and claims its interface: the one with `serialNumber` if given, else the
    /// only (or first) one. Throws `noClipFound` or `clipNotFound` when there is none.
    public func open(serialNumber: String? = nil) throws -> ClipConnection {
        let clips = try listClips()
        let chosen: ClipDeviceInfo?
        if let serialNumber {
            chosen = clips.first { $0.serialNumber == serialNumber }
            if chosen == nil { throw ClipUSBError.clipNotFound(serialNumber: serialNumber, busNumber: nil, address: nil) }
        } else {
            chosen = clips.first
        }
        guard let chosen else { throw ClipUSBError.noClipFound }
        if let accessError = chosen.accessError { throw accessError }
        return try open(chosen)
    }

    /// Opens the clip at the bus position of `clip` and claims interface 0, detaching a kernel
    /// driver if one is bound.
    public func open(_ clip: ClipDeviceInfo) throws -> ClipConnection {
        try withClipDevices { scan, devices in
            guard let device = devices.first(where: {
                libusb_get_bus_number($0) == clip.busNumber && libusb_get_device_address($0) == clip.address
            }) else {
                throw ClipUSBError.clipNotFound(serialNumber: clip.serialNumber, busNumber: clip.busNumber, address: clip.address)
            }
            return try ClipConnection(context: self, session: scan, device: device, info: clip)
        }
    }

    /// Runs `body` with the clips found by a fresh scan of the bus, and the session that scanned
    /// (the devices are referenced only during `body`; the session lives while referenced).
    func withClipDevices<T>(_ body: (LibUSBSession, [OpaquePointer]) throws -> T) throws -> T {
        let scan = try LibUSBSession()
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(scan.handle, &list)
        guard count >= 0, let list else {
            throw ClipUSBError.from(libusbCode: Int32(count), device: nil, operation: "listing USB devices")
        }
        defer { libusb_free_device_list(list, 1) }
        var clips: [OpaquePointer] = []
        for index in 0..<count {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0 else { continue }
            if descriptor.idVendor == ClipUSBIdentifiers.vendorID && descriptor.idProduct == ClipUSBIdentifiers.productID {
                clips.append(device)
            }
        }
        return try body(scan, clips)
    }

    /// Reads what a clip says about itself; opens it briefly for the serial number.
    func describe(_ device: OpaquePointer) -> ClipDeviceInfo {
        var descriptor = libusb_device_descriptor()
        _ = libusb_get_device_descriptor(device, &descriptor)
        var info = ClipDeviceInfo(
            busNumber: libusb_get_bus_number(device), address: libusb_get_device_address(device),
            serialNumber: nil, firmwareBCD: descriptor.bcdDevice,
            vendorID: descriptor.idVendor, productID: descriptor.idProduct
        )
        var deviceHandle: OpaquePointer?
        let opened = libusb_open(device, &deviceHandle)
        guard opened == 0, let deviceHandle else {
            info.accessError = ClipUSBError.from(libusbCode: opened, device: info.reference, operation: "opening the clip")
            return info
        }
        defer { libusb_close(deviceHandle) }
        if descriptor.iSerialNumber != 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            let length = libusb_get_string_descriptor_ascii(deviceHandle, descriptor.iSerialNumber, &buffer, Int32(buffer.count))
            if length >= 0 {
                info.serialNumber = String(decoding: buffer[0..<Int(length)], as: UTF8.self)
            } else {
                info.accessError = ClipUSBError.from(libusbCode: length, device: info.reference, operation: "reading the serial number")
            }
        }
        return info
    }
}

extension ClipUSBContext {
    /// `listClips()` on the context's own thread.
    public func listClips() async throws -> [ClipDeviceInfo] {
        try await worker.run { try self.listClips() }
    }

    /// `open(serialNumber:)` on the context's own thread.
    public func open(serialNumber: String? = nil) async throws -> ClipConnection {
        try await worker.run { try self.open(serialNumber: serialNumber) }
    }
}

/// One libusb context, closed when the last reference goes (connections keep theirs).
final class LibUSBSession: @unchecked Sendable {
    let handle: OpaquePointer

    init() throws {
        var context: OpaquePointer?
        let result = libusb_init(&context)
        guard result == 0, let context else {
            throw ClipUSBError.from(libusbCode: result, device: nil, operation: "starting libusb")
        }
        handle = context
    }

    deinit {
        libusb_exit(handle)
    }
}
