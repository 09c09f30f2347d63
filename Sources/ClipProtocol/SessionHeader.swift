/// Block 0 of a session on flash: everything needed to turn the data blocks into units and time.
///
/// Layout (512 bytes, little-endian):
/// ```
///   0 4  magic "BSSH" (42 53 53 48)      4 4  block sequence = 0       8 4  session id
///  12 2  format version = 1             14 2  block size = 512        16 2  flags (bit 0 gyroscope)
///  18 1  accel range ± g                19 1  reserved 0              20 2  gyro range ± deg/s
///  22 2  firmware version (BCD)         24 4  sample rate mHz         28 4  tick rate Hz
///  32 8  start ticks                    40 8  start UTC µs (Int64.min = clock not set)
///  48 4  accel g per count (f32)        52 4  gyro deg/s per count (f32)
///  56 32 serial (ASCII, NUL-padded)     88 420 reserved 0             508 4 CRC-32C of bytes 0…507
/// ```
public struct SessionHeader: Sendable, Equatable {
    /// Bytes per block, header and data alike.
    public static let blockSize = 512
    /// The on-flash format version this code reads and writes.
    public static let formatVersion: UInt16 = 1
    /// "BSSH".
    public static let magic: UInt32 = 0x4853_5342
    /// Start UTC value meaning "the clock was not set".
    public static let utcNotSet = Int64.min
    /// Sample rates a header may declare, mHz (50–1600 Hz: the clip's IMU settings; gait needs
    /// at least 50 Hz, and nothing faster exists on a clip).
    public static let sampleRateRangeMilliHz: ClosedRange<UInt32> = 50_000...1_600_000
    /// Fastest tick rate a header may declare, Hz (the clip counts µs; 1 GHz leaves room).
    public static let maximumTickRateHz: UInt32 = 1_000_000_000

    public var sessionID: UInt32
    public var hasGyroscope: Bool
    public var accelRangeG: UInt8
    public var gyroRangeDPS: UInt16
    /// Firmware version as BCD major.minor (the USB bcdDevice).
    public var firmwareBCD: UInt16
    public var sampleRateMilliHz: UInt32
    public var tickRateHz: UInt32
    /// Device ticks at the first sample.
    public var startTicks: UInt64
    /// UTC µs at the first sample, or `SessionHeader.utcNotSet`.
    public var startUTCMicroseconds: Int64
    public var accelGPerLsb: Float
    public var gyroDPSPerLsb: Float
    /// The clip's serial, ≤ 32 ASCII bytes.
    public var serial: String

    public init(sessionID: UInt32, hasGyroscope: Bool, accelRangeG: UInt8 = 16, gyroRangeDPS: UInt16 = 2000, firmwareBCD: UInt16,
                sampleRateMilliHz: UInt32, tickRateHz: UInt32 = 1_000_000, startTicks: UInt64, startUTCMicroseconds: Int64,
                accelGPerLsb: Float = 1.0 / 2048, gyroDPSPerLsb: Float = 0.07, serial: String) {
        self.sessionID = sessionID; self.hasGyroscope = hasGyroscope
        self.accelRangeG = accelRangeG; self.gyroRangeDPS = gyroRangeDPS; self.firmwareBCD = firmwareBCD
        self.sampleRateMilliHz = sampleRateMilliHz; self.tickRateHz = tickRateHz
        self.startTicks = startTicks; self.startUTCMicroseconds = startUTCMicroseconds
        self.accelGPerLsb = accelGPerLsb; self.gyroDPSPerLsb = gyroDPSPerLsb; self.serial = serial
    }

    /// Samples per data block: 40 with gyroscope, 80 without.
    public var samplesPerBlock: Int { SessionDataBlock.capacity(hasGyroscope: hasGyroscope) }
    /// Sample rate in hertz.
    public var sampleRateHz: Double { Double(sampleRateMilliHz) / 1000 }

    /// Counts for an acceleration in g (rounded, clamped to Int16).
    public func accelCounts(_ g: Float) -> Int16 { quantize(g / accelGPerLsb) }
    /// Counts for an angular rate in deg/s (rounded, clamped to Int16).
    public func gyroCounts(_ dps: Float) -> Int16 { quantize(dps / gyroDPSPerLsb) }

    /// The 512-byte header block.
    public func encodedBlock() -> [UInt8] {
        var w = ByteWriter(capacity: SessionHeader.blockSize)
        w.u32(SessionHeader.magic); w.u32(0); w.u32(sessionID)
        w.u16(SessionHeader.formatVersion); w.u16(UInt16(SessionHeader.blockSize)); w.u16(hasGyroscope ? 1 : 0)
        w.u8(accelRangeG); w.u8(0); w.u16(gyroRangeDPS); w.u16(firmwareBCD)
        w.u32(sampleRateMilliHz); w.u32(tickRateHz); w.u64(startTicks); w.i64(startUTCMicroseconds)
        w.f32(accelGPerLsb); w.f32(gyroDPSPerLsb)
        let serialBytes = Array(serial.utf8.prefix(32))
        w.append(serialBytes); w.zeros(32 - serialBytes.count)
        w.zeros(SessionHeader.blockSize - 4 - w.bytes.count)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Decodes and verifies a header block (exactly 512 bytes).
    public init(block bytes: [UInt8]) throws(BadBlockReason) {
        guard bytes.count == SessionHeader.blockSize else { throw .truncated(byteCount: bytes.count) }
        try checkBlockIntegrity(bytes)
        let magic = readUInt32LE(bytes, 0)
        guard magic == SessionHeader.magic else { throw .badMagic(found: magic) }
        let sequence = readUInt32LE(bytes, 4)
        guard sequence == 0 else { throw .wrongSequence(expected: 0, found: sequence) }
        let version = readUInt16LE(bytes, 12), blockSize = readUInt16LE(bytes, 14)
        guard version == SessionHeader.formatVersion else { throw .unsupportedFormat(field: "formatVersion", value: UInt32(version)) }
        guard blockSize == SessionHeader.blockSize else { throw .unsupportedFormat(field: "blockSize", value: UInt32(blockSize)) }
        let rate = readUInt32LE(bytes, 24), tickRate = readUInt32LE(bytes, 28)
        guard SessionHeader.sampleRateRangeMilliHz.contains(rate) else {
            throw .outOfRange(field: "sampleRateMilliHz", value: String(rate), allowed: "50000…1600000 (50–1600 Hz)")
        }
        // Ticks must at least tell samples apart: a 1 Hz tick rate made a 20 s session last 690 days.
        guard tickRate >= rate / 1000, tickRate <= SessionHeader.maximumTickRateHz else {
            throw .outOfRange(field: "tickRateHz", value: String(tickRate), allowed: "the sample rate (\(rate / 1000) Hz) up to 1 GHz")
        }
        // A scale that is not a finite positive number would turn every sample into NaN or infinity.
        let accelScale = Float(bitPattern: readUInt32LE(bytes, 48)), gyroScale = Float(bitPattern: readUInt32LE(bytes, 52))
        guard accelScale.isFinite, accelScale > 0 else {
            throw .outOfRange(field: "accelGPerLsb", value: "\(accelScale)", allowed: "a finite number > 0")
        }
        let hasGyroscope = readUInt16LE(bytes, 16) & 1 != 0
        guard !hasGyroscope || (gyroScale.isFinite && gyroScale > 0) else {
            throw .outOfRange(field: "gyroDPSPerLsb", value: "\(gyroScale)", allowed: "a finite number > 0")
        }
        let serialBytes = bytes[56..<88].prefix { $0 != 0 }
        self.init(sessionID: readUInt32LE(bytes, 8), hasGyroscope: hasGyroscope, accelRangeG: bytes[18],
                  gyroRangeDPS: readUInt16LE(bytes, 20), firmwareBCD: readUInt16LE(bytes, 22), sampleRateMilliHz: rate,
                  tickRateHz: tickRate, startTicks: UInt64(readUInt32LE(bytes, 32)) | UInt64(readUInt32LE(bytes, 36)) << 32,
                  startUTCMicroseconds: Int64(bitPattern: UInt64(readUInt32LE(bytes, 40)) | UInt64(readUInt32LE(bytes, 44)) << 32),
                  accelGPerLsb: accelScale, gyroDPSPerLsb: gyroScale,
                  serial: String(decoding: serialBytes, as: UTF8.self))
    }
}

@inline(__always) func quantize(_ counts: Float) -> Int16 {
    let rounded = counts.rounded()
    if !(rounded >= -32768) { return rounded.isNaN ? 0 : -32768 }
    if rounded > 32767 { return 32767 }
    return Int16(rounded)
}

/// Checks a block's CRC and classifies a failure: all 0x00 is a zero-filled block, all 0xFF an
/// erased block, a 0xFF tail a block cut short by power loss, anything else a CRC mismatch.
func checkBlockIntegrity(_ bytes: [UInt8]) throws(BadBlockReason) {
    let stored = readUInt32LE(bytes, SessionHeader.blockSize - 4)
    let computed = CRC32C.checksum(bytes[0..<(SessionHeader.blockSize - 4)])
    if stored == computed { return }
    throw classifyBadCRC(bytes, stored: stored, computed: computed)
}

func classifyBadCRC(_ bytes: [UInt8], stored: UInt32, computed: UInt32) -> BadBlockReason {
    if bytes.allSatisfy({ $0 == 0 }) { return .zeroFilled }
    var firstErased = bytes.count
    while firstErased > 0, bytes[firstErased - 1] == 0xFF { firstErased -= 1 }
    if firstErased == 0 { return .erased }
    if firstErased <= bytes.count - 4 { return .partiallyWritten(programmedBytes: firstErased) }
    return .crcMismatch(stored: stored, computed: computed)
}

/// Why a block was rejected.
public enum BadBlockReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every byte is 0xFF: the block was allocated but never programmed.
    case erased
    /// Every byte is 0x00: not written by a clip (erased flash reads 0xFF and a programmed block
    /// starts with its magic); a copy padded or pre-allocated with zeros, or a zeroed region.
    case zeroFilled
    /// Bytes from `programmedBytes` to the end (including the CRC) are still 0xFF: power was lost while writing.
    case partiallyWritten(programmedBytes: Int)
    /// The stored CRC does not match the block's bytes.
    case crcMismatch(stored: UInt32, computed: UInt32)
    /// The block does not start with the expected magic.
    case badMagic(found: UInt32)
    /// The block's sequence number is not its position in the session.
    case wrongSequence(expected: UInt32, found: UInt32)
    /// The block belongs to another session.
    case wrongSession(expected: UInt32, found: UInt32)
    /// The block's sample count is 0 or more than fits.
    case sampleCountOutOfRange(count: Int, capacity: Int)
    /// The block's gyroscope flag differs from the header's.
    case gyroscopeFlagMismatch
    /// The block's first sample index does not follow the previous block's samples.
    case sampleIndexGap(expected: UInt32, found: UInt32)
    /// Fewer than 512 bytes remain for this block.
    case truncated(byteCount: Int)
    /// The header declares a format this code does not read.
    case unsupportedFormat(field: String, value: UInt32)
    /// A data block cannot be decoded because the header block is bad.
    case noValidHeader
    /// A header field holds a value outside what a session can have (`allowed` says what can).
    case outOfRange(field: String, value: String, allowed: String)
    /// A data block's first-sample ticks are earlier than the end of the previous block's samples:
    /// the clip's clock went backwards (`overlapS` seconds).
    case ticksWentBackwards(overlapS: Double)

    public var description: String {
        switch self {
        case .erased: "erased (all 0xFF)"
        case .zeroFilled: "zero-filled (all 0x00: not written by a clip)"
        case let .partiallyWritten(programmed): "partially written (0xFF from byte \(programmed))"
        case let .crcMismatch(stored, computed): "CRC \(hex32(stored)) does not match computed \(hex32(computed))"
        case let .badMagic(found): "bad magic \(hex32(found))"
        case let .wrongSequence(expected, found): "sequence \(found), expected \(expected)"
        case let .wrongSession(expected, found): "session id \(found), expected \(expected)"
        case let .sampleCountOutOfRange(count, capacity): "sample count \(count) not in 1…\(capacity)"
        case .gyroscopeFlagMismatch: "gyroscope flag differs from the header"
        case let .sampleIndexGap(expected, found): "first sample index \(found), expected \(expected)"
        case let .truncated(count): "only \(count) of 512 bytes"
        case let .unsupportedFormat(field, value): "unsupported \(field) \(value)"
        case .noValidHeader: "no valid header block"
        case let .outOfRange(field, value, allowed): "\(field) \(value) is out of range (allowed: \(allowed))"
        case let .ticksWentBackwards(overlapS): "its time goes back \(overlapS) s into the previous block's samples"
        }
    }
}

/// A rejected block: its index in the session (0 = header) and why.
public struct BadBlock: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var reason: BadBlockReason
    public init(index: Int, reason: BadBlockReason) {
        self.index = index
        self.reason = reason
    }
    public var description: String { "block \(index): \(reason)" }
}
