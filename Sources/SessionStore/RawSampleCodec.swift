import GaitDSP

/// Lossless encoding of a chunk of IMU samples for the `rawChunk` table: the samples come back
/// bit for bit, so re-analysis from the store gives exactly the analysis of the original input.
///
/// Layout before deflate (all little-endian): magic "BSR1", flags (bit 0: gyroscope), sample
/// count (UInt32), then one column per array of `IMUBlock` (time, accel x/y/z, gyro x/y/z):
/// - time: the first Double's bit pattern, then the zigzag varint of the second difference of
///   the bit patterns (uniformly sampled times make these 0 or ±1, one byte each);
/// - a Float column that is an integer count times a scale (the clip's int16 samples, when the
///   scale is given): kind 1, the scale, then zigzag varints of the differences of the counts;
/// - any other Float column: kind 2, zigzag varints of the differences of the bit patterns.
/// The whole buffer is then deflated (zlib, `Deflate.level`).
public enum RawSampleCodec {
    /// Samples per stored chunk: bounds the memory of import, re-analysis and reading.
    public static let chunkCapacity = 65_536

    static let magic: [UInt8] = Array("BSR1".utf8)

    /// Encodes `block` (at most `chunkCapacity` samples); `accelScaleG`/`gyroScaleDPS` are the
    /// sensor's LSB sizes when the samples are known to be integer counts (clip sessions).
    /// Returns the deflated bytes and the size before deflate.
    public static func encode(_ block: IMUBlock, accelScaleG: Float? = nil, gyroScaleDPS: Float? = nil) -> (bytes: [UInt8], rawCount: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(block.count * 8 + 64)
        out += magic
        out.append(block.hasGyro ? 1 : 0)
        appendUInt32(UInt32(block.count), to: &out)
        encodeTimes(block.timeS, into: &out)
        for column in [block.accelXG, block.accelYG, block.accelZG] { encodeFloats(column, scale: accelScaleG, into: &out) }
        if block.hasGyro {
            for column in [block.gyroXDPS, block.gyroYDPS, block.gyroZDPS] { encodeFloats(column, scale: gyroScaleDPS, into: &out) }
        }
        return (Deflate.compress(out), out.count)
    }

    /// Decodes a chunk written by `encode`; nil when the bytes are damaged.
    public static func decode(_ bytes: [UInt8], rawCount: Int) -> IMUBlock? {
        guard let raw = Deflate.decompress(bytes, expectedCount: rawCount), raw.count >= 9,
              Array(raw[0..<4]) == magic else { return nil }
        var reader = ByteReader(bytes: raw, offset: 4)
        guard let flags = reader.byte(), let count32 = reader.uInt32() else { return nil }
        let count = Int(count32)
        guard count <= chunkCapacity, let times = decodeTimes(count: count, reader: &reader),
              let ax = decodeFloats(count: count, reader: &reader),
              let ay = decodeFloats(count: count, reader: &reader),
              let az = decodeFloats(count: count, reader: &reader) else { return nil }
        if flags & 1 == 0 {
            guard reader.isAtEnd else { return nil }
            return IMUBlock(timeS: times, accelXG: ax, accelYG: ay, accelZG: az)
        }
        guard let gx = decodeFloats(count: count, reader: &reader),
              let gy = decodeFloats(count: count, reader: &reader),
              let gz = decodeFloats(count: count, reader: &reader), reader.isAtEnd else { return nil }
        return IMUBlock(timeS: times, accelXG: ax, accelYG: ay, accelZG: az, gyroXDPS: gx, gyroYDPS: gy, gyroZDPS: gz)
    }

    // MARK: - Columns

    static func encodeTimes(_ times: [Double], into out: inout [UInt8]) {
        guard let first = times.first else { return }
        appendUInt64(first.bitPattern, to: &out)
        var previous = Int64(bitPattern: first.bitPattern)
        var previousDelta: Int64 = 0
        for t in times.dropFirst() {
            let bits = Int64(bitPattern: t.bitPattern)
            let delta = bits &- previous
            appendVarint(zigzag(delta &- previousDelta), to: &out)
            previous = bits
            previousDelta = delta
        }
    }

    static func decodeTimes(count: Int, reader: inout ByteReader) -> [Double]? {
        guard count > 0 else { return [] }
        guard let first = reader.uInt64() else { return nil }
        var times = [Double]()
        times.reserveCapacity(count)
        times.append(Double(bitPattern: first))
        var previous = Int64(bitPattern: first)
        var previousDelta: Int64 = 0
        for _ in 1..<count {
            guard let v = reader.varint() else { return nil }
            let delta = previousDelta &+ unzigzag(v)
            previous = previous &+ delta
            previousDelta = delta
            times.append(Double(bitPattern: UInt64(bitPattern: previous)))
        }
        return times
    }

    static func encodeFloats(_ values: [Float], scale: Float?, into out: inout [UInt8]) {
        if let scale, scale > 0, let counts = integerCounts(values, scale: scale) {
            out.append(1)
            appendUInt32(scale.bitPattern, to: &out)
            var previous: Int64 = 0
            for c in counts {
                appendVarint(zigzag(c &- previous), to: &out)
                previous = c
            }
            return
        }
        out.append(2)
        var previous: Int64 = 0
        for v in values {
            let bits = Int64(Int32(bitPattern: v.bitPattern))
            appendVarint(zigzag(bits &- previous), to: &out)
            previous = bits
        }
    }

    /// The counts k with Float(k) × scale == value bit for bit for every value, or nil.
    static func integerCounts(_ values: [Float], scale: Float) -> [Int64]? {
        var counts = [Int64]()
        counts.reserveCapacity(values.count)
        for v in values {
            let k = (v / scale).rounded()
            guard k.isFinite, abs(k) <= 16_777_216, (Float(Int64(k)) * scale).bitPattern == v.bitPattern else { return nil }
            counts.append(Int64(k))
        }
        return counts
    }

    static func decodeFloats(count: Int, reader: inout ByteReader) -> [Float]? {
        guard let kind = reader.byte() else { return nil }
        var values = [Float]()
        values.reserveCapacity(count)
        var previous: Int64 = 0
        switch kind {
        case 1:
            guard let scaleBits = reader.uInt32() else { return nil }
            let scale = Float(bitPattern: scaleBits)
            for _ in 0..<count {
                guard let v = reader.varint() else { return nil }
                previous = previous &+ unzigzag(v)
                values.append(Float(previous) * scale)
            }
        case 2:
            for _ in 0..<count {
                guard let v = reader.varint() else { return nil }
                previous = previous &+ unzigzag(v)
                values.append(Float(bitPattern: UInt32(truncatingIfNeeded: previous)))
            }
        default:
            return nil
        }
        return values
    }

    // MARK: - Bytes

    @inline(__always) static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inline(__always) static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    @inline(__always) static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func appendUInt32(_ v: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    static func appendUInt64(_ v: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// Reads the little-endian fields and varints of a decoded chunk, refusing to run past its end.
    struct ByteReader {
        let bytes: [UInt8]
        var offset: Int

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uInt32() -> UInt32? {
            guard offset + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
            offset += 4
            return v
        }

        mutating func uInt64() -> UInt64? {
            guard offset + 8 <= bytes.count else { return nil }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
            offset += 8
            return v
        }

        @inline(__always) mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let b = bytes[offset]
                offset += 1
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
            }
            return nil
        }
    }
}
