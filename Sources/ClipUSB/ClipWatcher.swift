import CLibUSB
import Foundation

/// A clip arriving on or leaving the bus.
public enum ClipEvent: Sendable, Hashable, CustomStringConvertible {
    /// The clip was plugged in (or was already there when watching began).
    case arrived(ClipDeviceInfo)
    /// The clip was unplugged.
    case left(ClipDeviceInfo)

    /// "arrived CLIP-0001 firmware 1.02 at bus 1, address 5".
    public var description: String {
        switch self {
        case .arrived(let clip): return "arrived \(clip)"
        case .left(let clip): return "left \(clip)"
        }
    }
}

/// Watches the bus for clips arriving and leaving, with libusb hotplug callbacks where the
/// system supports them and by polling the device list otherwise.
///
/// Events come through `events`, starting with an `arrived` for each clip already present.
/// The watcher runs on its own thread; `stop()` (or releasing the watcher) ends it.
public final class ClipWatcher: @unchecked Sendable {
    /// How the watcher learns about changes.
    public enum Mode: Sendable, Equatable {
        /// Hotplug callbacks when `libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)`, reconciled by
        /// polling every `reconcileIntervalMs` (hotplug events can be lost, e.g. without udev);
        /// pure polling at that interval when hotplug is not supported.
        case automatic(reconcileIntervalMs: Int = 1000)
        /// Only hotplug callbacks (fails to start when unsupported).
        case hotplug
        /// Only polling the device list every `intervalMs` milliseconds.
        case polling(intervalMs: Int)
    }

    /// What the watcher actually uses after `Mode.automatic` chose.
    public enum Mechanism: Sendable, Equatable {
        case hotplug, polling, hotplugWithPolling
    }

    /// The arrivals and removals, in order.
    public let events: AsyncStream<ClipEvent>
    /// The mechanism in use.
    public let mechanism: Mechanism

    private let context: ClipUSBContext
    private let continuation: AsyncStream<ClipEvent>.Continuation
    private let pollIntervalMs: Int?
    private let lock = NSLock()
    private var stopping = false
    private var known: [BusPosition: ClipDeviceInfo] = [:]
    private var hotplugQueue: [(arrived: Bool, device: OpaquePointer)] = []
    private var hotplugHandle: libusb_hotplug_callback_handle = 0
    private let finished = DispatchSemaphore(value: 0)

    private struct BusPosition: Hashable {
        var bus: UInt8
        var address: UInt8
    }

    /// Starts watching. Throws when `.hotplug` is asked for and libusb cannot do it.
    public init(context: ClipUSBContext, mode: Mode = .automatic()) throws {
        self.context = context
        (events, continuation) = AsyncStream.makeStream(of: ClipEvent.self)
        switch mode {
        case .automatic(let reconcileIntervalMs):
            mechanism = context.supportsHotplug ? .hotplugWithPolling : .polling
            pollIntervalMs = max(10, reconcileIntervalMs)
        case .hotplug:
            guard context.supportsHotplug else {
                throw ClipUSBError.libusb(device: nil, operation: "watching for clips with hotplug",
                                          code: LIBUSB_ERROR_NOT_SUPPORTED.rawValue,
                                          name: libusbErrorName(LIBUSB_ERROR_NOT_SUPPORTED.rawValue))
            }
            mechanism = .hotplug
            pollIntervalMs = nil
        case .polling(let intervalMs):
            mechanism = .polling
            pollIntervalMs = max(10, intervalMs)
        }
        if mechanism != .polling { try registerHotplug() }
        let thread = Thread { [self] in self.run() }
        thread.name = "clip-usb watcher"
        thread.start()
    }

    deinit {
        stop()
    }

    /// Stops watching and finishes `events`. Returns after the watcher's thread ended.
    public func stop() {
        lock.lock()
        let wasStopping = stopping
        stopping = true
        lock.unlock()
        guard !wasStopping else { return }
        finished.wait()
        if hotplugHandle != 0 { libusb_hotplug_deregister_callback(context.handle, hotplugHandle) }
        continuation.finish()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func registerHotplug() throws {
        let callback: libusb_hotplug_callback_fn = { _, device, event, userData in
            guard let device, let userData else { return 0 }
            let watcher = Unmanaged<ClipWatcher>.fromOpaque(userData).takeUnretainedValue()
            watcher.enqueueHotplug(arrived: event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, device: device)
            return 0
        }
        var handle: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let result = libusb_hotplug_register_callback(
            context.handle, events, 0, Int32(ClipUSBIdentifiers.vendorID), Int32(ClipUSBIdentifiers.productID),
            LIBUSB_HOTPLUG_MATCH_ANY, callback, Unmanaged.passUnretained(self).toOpaque(), &handle)
        guard result == 0 else {
            throw ClipUSBError.from(libusbCode: result, device: nil, operation: "registering the hotplug callback")
        }
        hotplugHandle = handle
    }

    /// Called by libusb inside `libusb_handle_events`: only queue; describing needs libusb calls.
    private func enqueueHotplug(arrived: Bool, device: OpaquePointer) {
        libusb_ref_device(device)
        lock.lock()
        hotplugQueue.append((arrived, device))
        lock.unlock()
    }

    private func run() {
        defer { finished.signal() }
        // The clips already there arrive first, as with LIBUSB_HOTPLUG_ENUMERATE.
        reconcile()
        var lastPoll = DispatchTime.now()
        while !isStopping {
            if mechanism == .polling {
                usleep(UInt32(min(pollIntervalMs ?? 100, 50)) * 1000)
            } else {
                var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
                _ = libusb_handle_events_timeout_completed(context.handle, &timeout, nil)
                drainHotplugQueue()
            }
            if let pollIntervalMs,
               DispatchTime.now().uptimeNanoseconds - lastPoll.uptimeNanoseconds >= UInt64(pollIntervalMs) * 1_000_000 {
                reconcile()
                lastPoll = DispatchTime.now()
            }
        }
        drainHotplugQueue()
    }

    private func drainHotplugQueue() {
        lock.lock()
        let queued = hotplugQueue
        hotplugQueue.removeAll()
        lock.unlock()
        for (arrived, device) in queued {
            defer { libusb_unref_device(device) }
            let position = BusPosition(bus: libusb_get_bus_number(device), address: libusb_get_device_address(device))
            if arrived {
                guard known[position] == nil else { continue }
                let info = context.describe(device)
                known[position] = info
                continuation.yield(.arrived(info))
            } else if let info = known.removeValue(forKey: position) {
                continuation.yield(.left(info))
            }
        }
    }

    /// Compares the device list with the clips known and reports the differences.
    private func reconcile() {
        let scan: (positions: Set<BusPosition>, new: [BusPosition: ClipDeviceInfo])? = try? context.withClipDevices { _, devices in
            var positions = Set<BusPosition>()
            var new: [BusPosition: ClipDeviceInfo] = [:]
            for device in devices {
                let position = BusPosition(bus: libusb_get_bus_number(device), address: libusb_get_device_address(device))
                positions.insert(position)
                if known[position] == nil { new[position] = context.describe(device) }
            }
            return (positions, new)
        }
        guard let scan else { return }
        for (position, info) in known.sorted(by: { ($0.key.bus, $0.key.address) < ($1.key.bus, $1.key.address) })
        where !scan.positions.contains(position) {
            known.removeValue(forKey: position)
            continuation.yield(.left(info))
        }
        for (position, info) in scan.new.sorted(by: { ($0.key.bus, $0.key.address) < ($1.key.bus, $1.key.address) }) {
            known[position] = info
            continuation.yield(.arrived(info))
        }
    }
}
