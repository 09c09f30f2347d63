import CLibUSB
import Foundation

/// An open clip with its interface claimed: bulk transfers on OUT 0x01 and IN 0x81.
///
/// The synchronous methods block for up to their timeout and are meant for a dedicated thread;
/// the `async` overloads (in `ClipConnection+Async.swift`) run them on the connection's own
/// thread. Reads and writes may overlap from different threads; `close()` waits for them.
public final class ClipConnection: @unchecked Sendable {
    /// The clip as it was when opened.
    public let info: ClipDeviceInfo
    /// The reference errors use for this clip.
    public var device: ClipDeviceReference { info.reference }

    let context: ClipUSBContext
    /// The libusb context the clip was opened in; it must outlive the device handle.
    let session: LibUSBSession
    let worker: BlockingCallThread
    private let deviceHandle: OpaquePointer
    private let state = NSCondition()
    private var transfersInFlight = 0
    private var isClosed = false

    init(context: ClipUSBContext, session: LibUSBSession, device: OpaquePointer, info: ClipDeviceInfo) throws {
        self.context = context
        self.session = session
        self.info = info
        var opened: OpaquePointer?
        let result = libusb_open(device, &opened)
        guard result == 0, let opened else {
            throw ClipUSBError.from(libusbCode: result, device: info.reference, operation: "opening the clip")
        }
        if libusb_kernel_driver_active(opened, ClipUSBIdentifiers.interfaceNumber) == 1 {
            let detached = libusb_detach_kernel_driver(opened, ClipUSBIdentifiers.interfaceNumber)
            if detached != 0 && detached != LIBUSB_ERROR_NOT_FOUND.rawValue {
                libusb_close(opened)
                throw ClipUSBError.from(libusbCode: detached, device: info.reference, operation: "detaching the kernel driver")
            }
        }
        let claimed = libusb_claim_interface(opened, ClipUSBIdentifiers.interfaceNumber)
        guard claimed == 0 else {
            libusb_close(opened)
            throw ClipUSBError.from(libusbCode: claimed, device: info.reference, operation: "claiming interface 0")
        }
        deviceHandle = opened
        worker = BlockingCallThread(name: "clip-usb \(info.serialNumber ?? "bus \(info.busNumber) address \(info.address)")")
    }

    deinit {
        close()
        worker.stop()
    }

    /// Writes `bytes` to bulk OUT 0x01 and returns how many the clip accepted (all of them unless
    /// it throws). Throws `timedOut` when the clip does not take them within `timeoutMs`
    /// milliseconds (0 waits forever), `stalled`, `unplugged`, ...
    @discardableResult
    public func write(_ bytes: [UInt8], timeoutMs: Int) throws -> Int {
        try withOpenHandle { handle in
            var data = bytes
            var transferred: Int32 = 0
            let result = libusb_bulk_transfer(handle, ClipUSBIdentifiers.bulkOutEndpoint, &data, Int32(data.count),
                                              &transferred, UInt32(max(0, timeoutMs)))
            if result != 0 {
                throw ClipUSBError.from(libusbCode: result, device: device,
                                        operation: "writing \(bytes.count) bytes to bulk OUT 0x01",
                                        endpoint: ClipUSBIdentifiers.bulkOutEndpoint, timeoutMs: timeoutMs)
            }
            return Int(transferred)
        }
    }

    /// Reads at most `maxLength` bytes from bulk IN 0x81: whatever the clip sends in one transfer
    /// (possibly fewer bytes). Throws `timedOut` when nothing arrives within `timeoutMs`
    /// milliseconds (0 waits forever), `stalled`, `unplugged`, ...
    public func read(maxLength: Int, timeoutMs: Int) throws -> [UInt8] {
        try withOpenHandle { handle in
            var buffer = [UInt8](repeating: 0, count: max(1, maxLength))
            var transferred: Int32 = 0
            let result = libusb_bulk_transfer(handle, ClipUSBIdentifiers.bulkInEndpoint, &buffer, Int32(buffer.count),
                                              &transferred, UInt32(max(0, timeoutMs)))
            if result != 0 {
                throw ClipUSBError.from(libusbCode: result, device: device,
                                        operation: "reading from bulk IN 0x81",
                                        endpoint: ClipUSBIdentifiers.bulkInEndpoint, timeoutMs: timeoutMs,
                                        maxLength: maxLength)
            }
            return Array(buffer[0..<Int(transferred)])
        }
    }

    /// Clears a halt (stall) on `endpoint` (0x01 or 0x81), resetting its data toggle.
    public func clearHalt(endpoint: UInt8) throws {
        try withOpenHandle { handle in
            let result = libusb_clear_halt(handle, endpoint)
            if result != 0 {
                throw ClipUSBError.from(libusbCode: result, device: device,
                                        operation: "clearing the halt on endpoint \(hexByte(endpoint))", endpoint: endpoint)
            }
        }
    }

    /// Resets the clip (a USB port reset). The clip keeps its address unless it re-enumerates, in
    /// which case this throws `unplugged` and the clip must be found and opened again.
    public func reset() throws {
        try withOpenHandle { handle in
            let result = libusb_reset_device(handle)
            if result == LIBUSB_ERROR_NOT_FOUND.rawValue {
                throw ClipUSBError.unplugged(device: device)
            }
            if result != 0 {
                throw ClipUSBError.from(libusbCode: result, device: device, operation: "resetting the clip")
            }
        }
    }

    /// Releases the interface and closes the clip, after transfers in flight end. Idempotent.
    public func close() {
        state.lock()
        if isClosed {
            state.unlock()
            return
        }
        isClosed = true
        while transfersInFlight > 0 { state.wait() }
        state.unlock()
        _ = libusb_release_interface(deviceHandle, ClipUSBIdentifiers.interfaceNumber)
        libusb_close(deviceHandle)
    }

    private func withOpenHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        state.lock()
        if isClosed {
            state.unlock()
            throw ClipUSBError.closed(device: device)
        }
        transfersInFlight += 1
        state.unlock()
        defer {
            state.lock()
            transfersInFlight -= 1
            state.broadcast()
            state.unlock()
        }
        return try body(deviceHandle)
    }
}
