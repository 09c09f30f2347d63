// Payloads of every request and response (PROTOCOL.md §5). All little-endian; decoders ignore
// trailing bytes (fields appended by newer versions).

/// One IMU sample as the sensor reports it: signed counts, scaled by the session's or stream's
/// `accelGPerLsb` and `gyroDpsPerLsb`. Gyroscope fields are 0 when the gyroscope is off.
public struct RawSample: Sendable, Equatable, Hashable {
    public var accelX: Int16, accelY: Int16, accelZ: Int16
    public var gyroX: Int16, gyroY: Int16, gyroZ: Int16

    /// Creates a sample from raw counts.
    public init(accelX: Int16, accelY: Int16, accelZ: Int16, gyroX: Int16 = 0, gyroY: Int16 = 0, gyroZ: Int16 = 0) {
        self.accelX = accelX; self.accelY = accelY; self.accelZ = accelZ
        self.gyroX = gyroX; self.gyroY = gyroY; self.gyroZ = gyroZ
    }
}

/// HELLO (0x01): the host's supported version range. Payload: min u16, max u16.
public struct HelloRequest: Sendable, Equatable {
    public var minimumVersion: UInt16
    public var maximumVersion: UInt16
    public init(minimumVersion: UInt16 = ClipProtocolVersion.minimum, maximumVersion: UInt16 = ClipProtocolVersion.current) {
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
    }
}

/// HELLO_REPLY (0x81): the chosen version, the clip's range, and the largest payload it sends.
/// Payload: version u16, clip min u16, clip max u16, max payload u16.
public struct HelloReply: Sendable, Equatable {
    public var version: UInt16
    public var deviceMinimumVersion: UInt16
    public var deviceMaximumVersion: UInt16
    public var maxPayloadLength: UInt16
    public init(version: UInt16, deviceMinimumVersion: UInt16, deviceMaximumVersion: UInt16, maxPayloadLength: UInt16 = UInt16(Frame.maxPayloadLength)) {
        self.version = version
        self.deviceMinimumVersion = deviceMinimumVersion
        self.deviceMaximumVersion = deviceMaximumVersion
        self.maxPayloadLength = maxPayloadLength
    }
}

/// Flags in INFO.
public struct DeviceFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// A session is being recorded now.
    public static let recording = DeviceFlags(rawValue: 1 << 0)
    /// A gyroscope is fitted.
    public static let gyroscopeFitted = DeviceFlags(rawValue: 1 << 1)
}

/// INFO (0x82): who the clip is and what state it is in.
public struct DeviceInfo: Sendable, Equatable {
    /// Serial number, printable ASCII, 1…32 bytes (the same as the USB serial string).
    public var serial: String
    public var firmwareMajor: UInt8, firmwareMinor: UInt8, firmwarePatch: UInt8
    public var hardwareRevision: UInt8
    /// Accelerometer full scale, ± g.
    public var accelRangeG: UInt8
    /// Gyroscope full scale, ± deg/s (0 when none is fitted).
    public var gyroRangeDPS: UInt16
    /// g per accelerometer count.
    public var accelGPerLsb: Float
    /// deg/s per gyroscope count.
    public var gyroDPSPerLsb: Float
    /// Recording sample rate in millihertz.
    public var sampleRateMilliHz: UInt32
    /// Battery state of charge, 0…100 %.
    public var batteryPercent: UInt8
    public var isCharging: Bool
    /// Battery voltage in millivolts.
    public var batteryMillivolts: UInt16
    /// Session flash size and use, bytes.
    public var flashTotalBytes: UInt32
    public var flashUsedBytes: UInt32
    /// Sessions stored.
    public var sessionCount: UInt16
    public var flags: DeviceFlags

    public init(serial: String, firmwareMajor: UInt8, firmwareMinor: UInt8, firmwarePatch: UInt8, hardwareRevision: UInt8,
                accelRangeG: UInt8, gyroRangeDPS: UInt16, accelGPerLsb: Float, gyroDPSPerLsb: Float, sampleRateMilliHz: UInt32,
                batteryPercent: UInt8, isCharging: Bool, batteryMillivolts: UInt16, flashTotalBytes: UInt32, flashUsedBytes: UInt32,
                sessionCount: UInt16, flags: DeviceFlags) {
        self.serial = serial
        self.firmwareMajor = firmwareMajor; self.firmwareMinor = firmwareMinor; self.firmwarePatch = firmwarePatch
        self.hardwareRevision = hardwareRevision
        self.accelRangeG = accelRangeG; self.gyroRangeDPS = gyroRangeDPS
        self.accelGPerLsb = accelGPerLsb; self.gyroDPSPerLsb = gyroDPSPerLsb
        self.sampleRateMilliHz = sampleRateMilliHz
        self.batteryPercent = batteryPercent; self.isCharging = isCharging; self.batteryMillivolts = batteryMillivolts
        self.flashTotalBytes = flashTotalBytes; self.flashUsedBytes = flashUsedBytes
        self.sessionCount = sessionCount; self.flags = flags
    }

    /// The USB bcdDevice for this firmware: major and minor as two BCD bytes (1.2 → 0x0102).
    public var bcdDevice: UInt16 { UInt16(bcd(firmwareMajor)) << 8 | UInt16(bcd(firmwareMinor)) }
}

func bcd(_ value: UInt8) -> UInt8 { (value / 10 % 10) << 4 | value % 10 }

/// The clip's clock: device ticks since power-on and their mapping to UTC.
///
/// UTC(µs) = utcAtTickZeroMicroseconds + ticks × 1e6 / tickRateHz × (1 + driftPartsPerBillion × 1e-9).
public struct ClockState: Sendable, Equatable {
    /// Ticks since the clip's clock started (monotonic, never set).
    public var deviceTicks: UInt64
    /// Ticks per second (1 000 000 in this firmware).
    public var tickRateHz: UInt32
    /// Whether the host has ever set the clock; if not, the UTC fields are meaningless.
    public var isUTCSet: Bool
    /// UTC in microseconds since 1970 at tick 0.
    public var utcAtTickZeroMicroseconds: Int64
    /// Rate correction: real elapsed time = tick elapsed × (1 + ppb × 1e-9).
    public var driftPartsPerBillion: Int32

    public init(deviceTicks: UInt64, tickRateHz: UInt32, isUTCSet: Bool, utcAtTickZeroMicroseconds: Int64, driftPartsPerBillion: Int32) {
        self.deviceTicks = deviceTicks
        self.tickRateHz = tickRateHz
        self.isUTCSet = isUTCSet
        self.utcAtTickZeroMicroseconds = utcAtTickZeroMicroseconds
        self.driftPartsPerBillion = driftPartsPerBillion
    }

    /// UTC in microseconds since 1970 at `ticks`, or nil when the clock was never set.
    public func utcMicroseconds(atTicks ticks: UInt64) -> Int64? {
        guard isUTCSet, tickRateHz > 0 else { return nil }
        let elapsedUs = Double(ticks) * 1e6 / Double(tickRateHz) * (1 + Double(driftPartsPerBillion) * 1e-9)
        return utcAtTickZeroMicroseconds + Int64(elapsedUs.rounded())
    }
}

/// SET_CLOCK (0x04): the host's UTC now and the drift correction. Payload: utc µs i64, drift ppb i32.
public struct SetClockRequest: Sendable, Equatable {
    public var utcMicroseconds: Int64
    public var driftPartsPerBillion: Int32
    public init(utcMicroseconds: Int64, driftPartsPerBillion: Int32 = 0) {
        self.utcMicroseconds = utcMicroseconds
        self.driftPartsPerBillion = driftPartsPerBillion
    }
}

/// LIST_SESSIONS (0x05): a page of the session list. Payload: start index u16, max count u16.
public struct ListSessionsRequest: Sendable, Equatable {
    public var startIndex: UInt16
    public var maxCount: UInt16
    public init(startIndex: UInt16 = 0, maxCount: UInt16 = SessionListPage.maxEntriesPerPage) {
        self.startIndex = startIndex
        self.maxCount = maxCount
    }
}

/// Flags of a stored session.
public struct SessionFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// Samples carry gyroscope axes.
    public static let hasGyroscope = SessionFlags(rawValue: 1 << 0)
    /// The recording was not closed (power loss): its last block may be partial.
    public static let incomplete = SessionFlags(rawValue: 1 << 1)
    /// Being recorded now (cannot be erased).
    public static let recording = SessionFlags(rawValue: 1 << 2)
}

/// One stored session in SESSION_LIST; 40 bytes on the wire.
public struct SessionEntry: Sendable, Equatable {
    /// The session's id: assigned at recording start, never reused by this clip.
    public var id: UInt32
    /// CRC-32C over the session's bytes exactly as READ_SESSION returns them.
    public var checksum: UInt32
    /// UTC µs at the first sample, or `Int64.min` if the clock was not set.
    public var startUTCMicroseconds: Int64
    /// Device ticks at the first sample.
    public var startTicks: UInt64
    /// Bytes on flash (a multiple of the 512-byte block).
    public var byteLength: UInt32
    /// Samples in the session's valid blocks.
    public var sampleCount: UInt32
    /// Sample rate in millihertz.
    public var sampleRateMilliHz: UInt32
    public var flags: SessionFlags

    public init(id: UInt32, checksum: UInt32, startUTCMicroseconds: Int64, startTicks: UInt64, byteLength: UInt32,
                sampleCount: UInt32, sampleRateMilliHz: UInt32, flags: SessionFlags) {
        self.id = id; self.checksum = checksum
        self.startUTCMicroseconds = startUTCMicroseconds; self.startTicks = startTicks
        self.byteLength = byteLength; self.sampleCount = sampleCount
        self.sampleRateMilliHz = sampleRateMilliHz; self.flags = flags
    }

    /// Bytes per entry on the wire.
    public static let encodedLength = 40
}

/// SESSION_LIST (0x85): sessions `startIndex ..< startIndex + entries.count` of `totalCount`, oldest first.
public struct SessionListPage: Sendable, Equatable {
    /// The most entries one page carries.
    public static let maxEntriesPerPage: UInt16 = 100
    public var totalCount: UInt16
    public var startIndex: UInt16
    public var entries: [SessionEntry]
    public init(totalCount: UInt16, startIndex: UInt16, entries: [SessionEntry]) {
        self.totalCount = totalCount
        self.startIndex = startIndex
        self.entries = entries
    }
}

/// READ_SESSION (0x06): bytes `offset ..< offset + length` of a session (resumable at any offset).
public struct ReadSessionRequest: Sendable, Equatable {
    /// The most bytes one SESSION_DATA carries.
    public static let maxLength: UInt32 = 4096
    public var sessionID: UInt32
    public var offset: UInt32
    public var length: UInt32
    public init(sessionID: UInt32, offset: UInt32, length: UInt32 = ReadSessionRequest.maxLength) {
        self.sessionID = sessionID
        self.offset = offset
        self.length = length
    }
}

/// SESSION_DATA (0x86): session bytes starting at `offset`; fewer than asked only at the session's end.
public struct SessionDataChunk: Sendable, Equatable {
    public var sessionID: UInt32
    public var offset: UInt32
    public var data: [UInt8]
    public init(sessionID: UInt32, offset: UInt32, data: [UInt8]) {
        self.sessionID = sessionID
        self.offset = offset
        self.data = data
    }
}

/// STREAM_START (0x07, version 2): start live samples. Payload: rate mHz u32 (0 = the clip's rate), flags u16 (bit 0 gyro).
public struct StreamStartRequest: Sendable, Equatable {
    public var sampleRateMilliHz: UInt32
    public var includeGyroscope: Bool
    public init(sampleRateMilliHz: UInt32 = 0, includeGyroscope: Bool = true) {
        self.sampleRateMilliHz = sampleRateMilliHz
        self.includeGyroscope = includeGyroscope
    }
}

/// STREAM_STARTED (0x87): what the stream will carry.
public struct StreamParameters: Sendable, Equatable {
    public var sampleRateMilliHz: UInt32
    public var includeGyroscope: Bool
    public var accelGPerLsb: Float
    public var gyroDPSPerLsb: Float
    /// Device ticks at the stream's first sample.
    public var startTicks: UInt64
    public init(sampleRateMilliHz: UInt32, includeGyroscope: Bool, accelGPerLsb: Float, gyroDPSPerLsb: Float, startTicks: UInt64) {
        self.sampleRateMilliHz = sampleRateMilliHz
        self.includeGyroscope = includeGyroscope
        self.accelGPerLsb = accelGPerLsb
        self.gyroDPSPerLsb = gyroDPSPerLsb
        self.startTicks = startTicks
    }
}

/// STREAM_STOPPED (0x88): totals for the stream that ended.
public struct StreamStopped: Sendable, Equatable {
    public var frameCount: UInt32
    public var sampleCount: UInt32
    public init(frameCount: UInt32, sampleCount: UInt32) {
        self.frameCount = frameCount
        self.sampleCount = sampleCount
    }
}

/// STREAM_DATA (0x70, unsolicited): consecutive live samples; the frame sequence counts stream frames.
public struct StreamData: Sendable, Equatable {
    /// The most samples in one frame with gyroscope (340; 684 without).
    public static func maxSamples(includeGyroscope: Bool) -> Int { (Frame.maxPayloadLength - 16) / (includeGyroscope ? 12 : 6) }
    public var firstSampleTicks: UInt64
    /// Index of the first sample since STREAM_START (gaps in it mean the clip dropped samples).
    public var firstSampleIndex: UInt32
    public var includeGyroscope: Bool
    public var samples: [RawSample]
    public init(firstSampleTicks: UInt64, firstSampleIndex: UInt32, includeGyroscope: Bool, samples: [RawSample]) {
        self.firstSampleTicks = firstSampleTicks
        self.firstSampleIndex = firstSampleIndex
        self.includeGyroscope = includeGyroscope
        self.samples = samples
    }
}

/// ACK_ERASE (0x09): the host has stored this session; erase it if the checksum matches.
public struct AckEraseRequest: Sendable, Equatable {
    public var sessionID: UInt32
    /// The session's checksum as listed (and verified by the host over the bytes it stored).
    public var checksum: UInt32
    public init(sessionID: UInt32, checksum: UInt32) {
        self.sessionID = sessionID
        self.checksum = checksum
    }
}

/// ERASED (0x89): the session is gone.
public struct EraseResult: Sendable, Equatable {
    public var sessionID: UInt32
    public var freedBytes: UInt32
    public init(sessionID: UInt32, freedBytes: UInt32) {
        self.sessionID = sessionID
        self.freedBytes = freedBytes
    }
}

/// ERROR (0xFF): the request was not executed. Payload: request type u8, code u8, reserved u16, detail u32.
public struct ErrorResponse: Sendable, Equatable, Error, CustomStringConvertible {
    /// The frame type of the request that failed.
    public var requestType: UInt8
    public var code: ClipErrorCode
    /// Code-specific context (see `ClipErrorCode`).
    public var detail: UInt32
    public init(requestType: UInt8, code: ClipErrorCode, detail: UInt32 = 0) {
        self.requestType = requestType
        self.code = code
        self.detail = detail
    }

    public var description: String {
        let name = FrameType(rawValue: requestType).map { "\($0)" } ?? hexByte(requestType)
        return "clip error for \(name): \(code) (detail \(detail))"
    }
}
