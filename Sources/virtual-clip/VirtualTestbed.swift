import ClipProtocol
import Foundation
import VirtualClipHandler

/// A umockdev testbed holding virtual clips; host processes see it through
/// `LD_PRELOAD=libumockdev-preload.so.0` and `UMOCKDEV_DIR=rootDirectory`.
final class VirtualTestbed: @unchecked Sendable {
    /// The preload library host processes need.
    static let preloadLibrary = "libumockdev-preload.so.0"

    private let raw: OpaquePointer
    private let lock = NSLock()
    private var isShutDown = false
    private(set) var clips: [VirtualClip] = []

    /// Creates an empty testbed (a temporary directory with a fake sysfs and /dev).
    init(hotplugEvents: Bool = true) {
        raw = vch_testbed_new()
        vch_testbed_set_hotplug_events(raw, hotplugEvents ? 1 : 0)
    }

    deinit {
        shutDown()
    }

    /// Unplugs and removes every clip and deletes the testbed directory. Idempotent; explicit
    /// because timers and the control FIFO's thread may still hold the testbed.
    func shutDown() {
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { return }
        isShutDown = true
        clips.removeAll()
        vch_testbed_free(raw) // unplugs and frees the clips too
    }

    /// Runs `body` unless the testbed is shut down (its clips are freed then); nil if it is.
    func ifRunning<T>(_ body: () throws -> T) rethrows -> T? {
        lock.lock()
        defer { lock.unlock() }
        return isShutDown ? nil : try body()
    }

    /// The directory host processes need as UMOCKDEV_DIR.
    var rootDirectory: String { String(cString: vch_testbed_root_dir(raw)) }

    /// The environment a host process needs to see the testbed, added to `base`.
    func hostEnvironment(base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        let existing = base["LD_PRELOAD"].map { " " + $0 } ?? ""
        environment["LD_PRELOAD"] = Self.preloadLibrary + existing
        environment["UMOCKDEV_DIR"] = rootDirectory
        return environment
    }

    /// Adds a clip (not plugged in yet) whose endpoints `device` serves.
    func addClip(_ description: VirtualClipDescription, device: ClipDeviceEndpoints) throws -> VirtualClip {
        let clip = try VirtualClip(owner: self, testbed: raw, description: description, device: device)
        lock.lock()
        clips.append(clip)
        lock.unlock()
        return clip
    }
}

/// How a virtual clip looks on the bus.
struct VirtualClipDescription: Sendable {
    var serialNumber: String
    var firmwareBCD: UInt16 = 0x0100
    var busNumber: UInt8 = 1
    var address: UInt8
    var vendorID: UInt16 = 0x1209
    var productID: UInt16 = 0x4A17
}

/// Errors of the virtual clip's own setup (not of the USB traffic it serves).
enum VirtualClipError: Error, CustomStringConvertible {
    case invalidDescription(String)
    case plugFailed(serialNumber: String, message: String)

    var description: String {
        switch self {
        case .invalidDescription(let message): return "virtual-clip: invalid clip description: \(message)"
        case .plugFailed(let serial, let message): return "virtual-clip: cannot plug in \(serial): \(message)"
        }
    }
}

/// One clip on a `VirtualTestbed`, which owns it: after `shutDown()` its methods do nothing.
/// `plug()` and `unplug()` may be called from any thread.
final class VirtualClip: @unchecked Sendable {
    let description: VirtualClipDescription
    private let owner: VirtualTestbed
    private let raw: OpaquePointer
    private let bridge: EndpointBridge

    fileprivate init(owner: VirtualTestbed, testbed: OpaquePointer, description: VirtualClipDescription,
                     device: ClipDeviceEndpoints) throws {
        self.owner = owner
        self.description = description
        let bridge = EndpointBridge(device: device)
        self.bridge = bridge
        let created = description.serialNumber.withCString { serial in
            var cDescription = vch_clip_description(
                vendor_id: description.vendorID, product_id: description.productID,
                bcd_device: description.firmwareBCD, bus_number: description.busNumber,
                device_address: description.address, serial_number: serial, product: nil, manufacturer: nil)
            return vch_clip_new(testbed, &cDescription, bridge.callbacks)
        }
        guard let created else {
            throw VirtualClipError.invalidDescription("bus \(description.busNumber), address \(description.address)")
        }
        raw = created
    }

    /// The device behaviour behind the clip.
    var device: ClipDeviceEndpoints { bridge.device }

    /// Called (on umockdev's thread) when the device answered `.disconnect` and the clip unplugged itself.
    var onDisconnect: (@Sendable () -> Void)? {
        get { bridge.onDisconnect }
        set { bridge.onDisconnect = newValue }
    }

    /// The clip's fake device node, e.g. "/dev/bus/usb/001/005".
    var deviceNode: String { owner.ifRunning { String(cString: vch_clip_device_node(raw)) } ?? "" }

    /// Whether the clip is plugged in (it unplugs itself when its device answers `.disconnect`).
    var isPlugged: Bool { owner.ifRunning { vch_clip_is_plugged(raw) != 0 } ?? false }

    /// The umockdev device description (for `virtual-clip serve --verbose` and bug reports).
    var umockdevDescription: String {
        owner.ifRunning {
            guard let text = vch_clip_umockdev_description(raw) else { return "" }
            defer { free(text) }
            return String(cString: text)
        } ?? ""
    }

    /// Plugs the clip in: it appears in sysfs and /dev and a hotplug "add" event is sent.
    func plug() throws {
        let failure: String? = owner.ifRunning {
            var message: UnsafeMutablePointer<CChar>?
            guard vch_clip_plug(raw, &message) != 0 else { return nil }
            defer { free(message) }
            return message.map { String(cString: $0) } ?? "unknown error"
        } ?? nil
        if let failure { throw VirtualClipError.plugFailed(serialNumber: description.serialNumber, message: failure) }
    }

    /// Unplugs the clip: transfers in flight fail with "no device", the device leaves the bus.
    func unplug() {
        owner.ifRunning { vch_clip_unplug(raw) }
    }
}
