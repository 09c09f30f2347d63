/// A data block on flash: up to 40 samples with gyroscope (80 without) and the time of the first.
///
/// Layout (512 bytes, little-endian):
/// ```
///   0 4  magic "BSSD" (42 53 53 44)      4 4  block sequence (1, 2, …)  8 4  session id
///  12 4  first sample index             16 8  first sample ticks
///  24 2  sample count (1…capacity)      26 2  flags (bit 0 gyroscope; equals the header's)
///  28 …  samples: ax ay az [gx gy gz] int16 each, 12 or 6 bytes per sample
///   …    0x00 padding up to byte 507    508 4  CRC-32C of bytes 0…507
/// ```
/// Sample `i` of a block was taken at firstSampleTicks / tickRate + i / sampleRate.
public struct SessionDataBlock: Sendable, Equatable {
    /// "BSSD".
    public static let magic: UInt32 = 0x4453_5342
    /// Bytes before the samples.
    public static let samplesOffset = 28

    /// Samples that fit in one block.
    public static func capacity(hasGyroscope: Bool) -> Int {
        (SessionHeader.blockSize - 4 - samplesOffset) / (hasGyroscope ? 12 : 6)
    }

    public var sequence: UInt32
    public var sessionID: UInt32
    public var firstSampleIndex: UInt32
    public var firstSampleTicks: UInt64
    public var hasGyroscope: Bool
    public var samples: [RawSample]

    public init(sequence: UInt32, sessionID: UInt32, firstSampleIndex: UInt32, firstSampleTicks: UInt64, hasGyroscope: Bool, samples: [RawSample]) {
        self.sequence = sequence; self.sessionID = sessionID
        self.firstSampleIndex = firstSampleIndex; self.firstSampleTicks = firstSampleTicks
        self.hasGyroscope = hasGyroscope; self.samples = samples
    }

    /// The 512-byte block.
    public func encodedBlock() -> [UInt8] {
        precondition(!samples.isEmpty && samples.count <= Self.capacity(hasGyroscope: hasGyroscope), "sample count out of range")
        var w = ByteWriter(capacity: SessionHeader.blockSize)
        w.u32(Self.magic); w.u32(sequence); w.u32(sessionID); w.u32(firstSampleIndex); w.u64(firstSampleTicks)
        w.u16(UInt16(samples.count)); w.u16(hasGyroscope ? 1 : 0)
        for s in samples {
            w.i16(s.accelX); w.i16(s.accelY); w.i16(s.accelZ)
            if hasGyroscope { w.i16(s.gyroX); w.i16(s.gyroY); w.i16(s.gyroZ) }
        }
        w.zeros(SessionHeader.blockSize - 4 - w.bytes.count)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Decodes and verifies a data block (exactly 512 bytes) on its own; session-level checks
    /// (sequence, session id, gyroscope flag, index continuity) are `SessionBlockDecoder`'s.
    public init(block bytes: [UInt8]) throws(BadBlockReason) {
        guard bytes.count == SessionHeader.blockSize else { throw .truncated(byteCount: bytes.count) }
        try checkBlockIntegrity(bytes)
        let magic = readUInt32LE(bytes, 0)
        guard magic == Self.magic else { throw .badMagic(found: magic) }
        let gyro = readUInt16LE(bytes, 26) & 1 != 0
        let count = Int(readUInt16LE(bytes, 24)), capacity = Self.capacity(hasGyroscope: gyro)
        guard (1...capacity).contains(count) else { throw .sampleCountOutOfRange(count: count, capacity: capacity) }
        var samples: [RawSample] = []
        samples.reserveCapacity(count)
        var at = Self.samplesOffset
        func next() -> Int16 { defer { at += 2 }; return Int16(bitPattern: readUInt16LE(bytes, at)) }
        for _ in 0..<count {
            var s = RawSample(accelX: next(), accelY: next(), accelZ: next())
            if gyro { s.gyroX = next(); s.gyroY = next(); s.gyroZ = next() }
            samples.append(s)
        }
        self.init(sequence: readUInt32LE(bytes, 4), sessionID: readUInt32LE(bytes, 8), firstSampleIndex: readUInt32LE(bytes, 12),
                  firstSampleTicks: UInt64(readUInt32LE(bytes, 16)) | UInt64(readUInt32LE(bytes, 20)) << 32,
                  hasGyroscope: gyro, samples: samples)
    }
}
