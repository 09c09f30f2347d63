import ClipProtocol
import Foundation
import GaitSynth

/// The clip's firmware behaviour in Swift: it parses host frames from bulk OUT, answers on bulk IN,
/// keeps sessions in a simulated flash, runs a device clock, streams live samples and erases only
/// acknowledged sessions; tests inject faults at any byte.
///
/// The USB handler calls the `ClipDeviceEndpoints` methods from one thread; every method takes a
/// lock, so a test may inspect or arm faults from another.
public final class ClipSimulator: ClipDeviceEndpoints, @unchecked Sendable {
    /// What this clip is.
    public let configuration: Configuration

    let lock = NSLock()
    // Flash.
    var flash: [StoredSession] = []
    var nextSessionID: UInt32 = 1
    // Clock.
    var manualTicks: UInt64
    let wallStart = ContinuousClock.now
    var utcAtTickZero: Int64?
    var driftPartsPerBillion: Int32 = 0
    var batteryPercent: UInt8
    // Connection.
    var connected = true
    var decoder = FrameDecoder()
    var toHost: [UInt8] = []
    var toHostStart = 0
    var inByteCount = 0
    var outByteCount = 0
    var negotiatedVersion: UInt16?
    var maximumVersion: UInt16
    var requestLog: [ClipRequest] = []
    var resets = 0
    // Faults.
    var faults: [Fault] = []
    var stalledEndpoints: Set<UInt8> = []
    // Streaming.
    var stream: LiveStream?

    /// A clip with `configuration` whose flash holds `sessions`, recorded one after another before now.
    public init(configuration: Configuration, sessions: [SynthConfig] = []) {
        self.configuration = configuration
        manualTicks = configuration.initialTicks
        utcAtTickZero = configuration.utcAtTickZeroMicroseconds
        batteryPercent = configuration.batteryPercent
        maximumVersion = configuration.protocolVersions.upperBound
        for session in sessions { _ = addSession(session) }
    }

    /// A clip with this serial, default settings, and `sessions` in its flash.
    public convenience init(serial: String, sessions: [SynthConfig] = []) {
        self.init(configuration: Configuration(serial: serial), sessions: sessions)
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Flash

    /// Records `activity` (at the clip's sample rate and sensors) as a new session that ends now,
    /// advancing the device clock past it, and returns its list entry.
    @discardableResult
    public func addSession(_ activity: SynthConfig) -> SessionEntry {
        locked { storeLocked(recordLocked(activity), incomplete: nil) }
    }

    /// Records `activity` but loses power while writing its last block: only the first
    /// `programmedBytes` bytes of that block reach the flash, the rest stay 0xFF. Listed as incomplete.
    @discardableResult
    public func addSessionCutByPowerLoss(_ activity: SynthConfig, programmedBytes: Int = 100) -> SessionEntry {
        locked { storeLocked(SessionRecorder.cutByPowerLoss(recordLocked(activity), programmedBytes: programmedBytes), incomplete: true) }
    }

    /// Stores raw session bytes as they are (any content, even invalid); `incomplete` nil means
    /// "whatever verification says". Returns the entry, with a fresh id.
    @discardableResult
    public func addRawSession(_ bytes: [UInt8], incomplete: Bool? = nil) -> SessionEntry {
        locked { storeLocked(bytes, incomplete: incomplete) }
    }

    /// The next session id the clip will assign (ids are never reused).
    public var nextID: UInt32 { locked { nextSessionID } }

    /// The stored sessions' list entries, oldest first.
    public var sessions: [SessionEntry] { locked { flash.map(\.entry) } }

    /// A stored session's bytes, or nil if there is none with that id.
    public func sessionBytes(id: UInt32) -> [UInt8]? { locked { flash.first { $0.entry.id == id }?.bytes } }

    private func recordLocked(_ activity: SynthConfig) -> [UInt8] {
        var config = activity
        config.sampleRateHz = configuration.sampleRateHz
        config.includeGyro = configuration.hasGyroscope
        let startTicks = ticksLocked()
        let header = SessionHeader(sessionID: nextSessionID, hasGyroscope: configuration.hasGyroscope, firmwareBCD: configuration.firmwareBCD,
                                   sampleRateMilliHz: configuration.sampleRateMilliHz, startTicks: startTicks,
                                   startUTCMicroseconds: utcLocked(atTicks: startTicks) ?? SessionHeader.utcNotSet,
                                   accelGPerLsb: configuration.accelGPerLsb, gyroDPSPerLsb: configuration.gyroDPSPerLsb,
                                   serial: configuration.serial)
        let bytes = SessionRecorder.record(config, header: header)
        manualTicks += UInt64((config.nominalDurationS * 1e6).rounded()) + 60_000_000
        return bytes
    }

    private func storeLocked(_ bytes: [UInt8], incomplete: Bool?) -> SessionEntry {
        let stored = StoredSession(bytes: bytes, id: nextSessionID, incomplete: incomplete)
        nextSessionID += 1
        flash.append(stored)
        return stored.entry
    }

    // MARK: - Clock and battery

    /// Device ticks now (µs since power-on).
    public var deviceTicks: UInt64 { locked { ticksLocked() } }

    /// Moves device time forward by `seconds` (time passes for the clip; streams do not catch up).
    public func advanceClock(bySeconds seconds: Double) {
        locked { manualTicks += UInt64((seconds * 1e6).rounded()) }
    }

    /// The clock as GET_CLOCK reports it.
    public var clockState: ClockState { locked { clockStateLocked() } }

    /// Battery state of charge, %.
    public var battery: UInt8 {
        get { locked { batteryPercent } }
        set { locked { batteryPercent = min(newValue, 100) } }
    }

    func ticksLocked() -> UInt64 {
        guard configuration.followsWallClock else { return manualTicks }
        let elapsed = ContinuousClock.now - wallStart
        return manualTicks + UInt64(elapsed.components.seconds) * 1_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000_000)
    }

    func clockStateLocked() -> ClockState {
        ClockState(deviceTicks: ticksLocked(), tickRateHz: 1_000_000, isUTCSet: utcAtTickZero != nil,
                   utcAtTickZeroMicroseconds: utcAtTickZero ?? 0, driftPartsPerBillion: driftPartsPerBillion)
    }

    func utcLocked(atTicks ticks: UInt64) -> Int64? { clockStateLocked().utcMicroseconds(atTicks: ticks) }

    // MARK: - Faults and inspection

    /// Arms `fault`.
    public func inject(_ fault: Fault) {
        locked {
            switch fault {
            case let .stall(endpoint): stalledEndpoints.insert(endpoint)
            case let .olderProtocol(maximum): maximumVersion = max(configuration.protocolVersions.lowerBound, min(maximum, configuration.protocolVersions.upperBound))
            default: faults.append(fault)
            }
        }
    }

    /// Disarms every fault (stalls included) and restores the configured protocol range.
    public func clearFaults() {
        locked {
            faults.removeAll()
            stalledEndpoints.removeAll()
            maximumVersion = configuration.protocolVersions.upperBound
        }
    }

    /// Unplugs the clip now: every transfer returns `.disconnect` until `replug()`.
    public func unplug() { locked { connected = false } }

    /// Plugs the clip back in: a fresh connection (no negotiated version, no stream, empty buffers,
    /// byte counts from 0); the flash and clock are as they were.
    public func replug() {
        locked {
            connected = true
            restartConnectionLocked()
        }
    }

    /// Whether the clip is plugged in.
    public var isConnected: Bool { locked { connected } }
    /// The version agreed by the last HELLO, or nil before one.
    public var protocolVersion: UInt16? { locked { negotiatedVersion } }
    /// Whether live streaming is on.
    public var isStreaming: Bool { locked { stream != nil } }
    /// Every request the clip decoded, in order.
    public var receivedRequests: [ClipRequest] { locked { requestLog } }
    /// Bytes the clip dropped while resynchronising on bulk OUT (this connection).
    public var skippedOutBytes: Int { locked { decoder.skippedByteCount } }
    /// Bytes sent on bulk IN and accepted on bulk OUT since plug-in or reset.
    public var transferredByteCounts: (toHost: Int, fromHost: Int) { locked { (inByteCount, outByteCount) } }
    /// Bytes queued for bulk IN.
    public var pendingToHostByteCount: Int { locked { toHost.count - toHostStart } }
    /// How many times the host reset the clip.
    public var resetCount: Int { locked { resets } }

    func restartConnectionLocked() {
        decoder = FrameDecoder()
        toHost.removeAll()
        toHostStart = 0
        inByteCount = 0
        outByteCount = 0
        negotiatedVersion = nil
        stream = nil
        stalledEndpoints.removeAll()
    }

    // MARK: - ClipDeviceEndpoints

    public func bulkOut(_ bytes: [UInt8]) -> EndpointOutcome {
        locked {
            guard connected else { return .disconnect }
            if stalledEndpoints.contains(0x01) { return .stall }
            if let index = faults.firstIndex(of: .timeOut(endpoint: 0x01)) {
                faults.remove(at: index)
                return .neverComplete
            }
            for fault in faults {
                if case let .unplugAtOutByte(byte) = fault, byte < outByteCount + bytes.count {
                    faults.removeAll { $0 == fault }
                    connected = false
                    return .disconnect
                }
            }
            outByteCount += bytes.count
            for event in decoder.feed(bytes) {
                switch event {
                case let .frame(frame): handleLocked(frame)
                case let .corruptFrame(type, sequence, error):
                    var stored: UInt32 = 0
                    if case let .payloadCRCMismatch(_, _, value, _) = error { stored = value }
                    sendLocked(.error(ErrorResponse(requestType: type, code: .payloadCRC, detail: stored)), sequence: sequence)
                case .skipped: break
                }
            }
            return .completed(bytes: [], count: bytes.count)
        }
    }

    public func bulkIn(maxLength: Int) -> EndpointOutcome {
        locked {
            guard connected else { return .disconnect }
            if stalledEndpoints.contains(0x81) { return .stall }
            if let index = faults.firstIndex(of: .timeOut(endpoint: 0x81)) {
                faults.remove(at: index)
                return .neverComplete
            }
            if toHost.count == toHostStart { produceStreamFrameLocked() }
            let available = toHost.count - toHostStart
            guard available > 0, maxLength > 0 else { return .pending }
            let count = min(available, maxLength)
            for fault in faults {
                if case let .unplugAtInByte(byte) = fault, byte < inByteCount + count {
                    faults.removeAll { $0 == fault }
                    connected = false
                    return .disconnect
                }
            }
            let chunk = Array(toHost[toHostStart..<(toHostStart + count)])
            toHostStart += count
            inByteCount += count
            if toHostStart == toHost.count {
                toHost.removeAll(keepingCapacity: true)
                toHostStart = 0
            }
            return .completed(bytes: chunk, count: count)
        }
    }

    public func clearHalt(endpoint: UInt8) {
        locked { _ = stalledEndpoints.remove(endpoint) }
    }

    public func reset() {
        locked {
            resets += 1
            restartConnectionLocked()
        }
    }

    func sendLocked(_ response: ClipResponse, sequence: UInt16) {
        toHost.append(contentsOf: response.encoded(sequence: sequence))
    }
}
