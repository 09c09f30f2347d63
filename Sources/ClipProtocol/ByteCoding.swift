/// Little-endian writer for payloads and blocks (every multi-byte field on the wire and on flash is
/// little-endian).
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }
    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
    mutating func i16(_ value: Int16) { u16(UInt16(bitPattern: value)) }
    mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    mutating func f32(_ value: Float) { u32(value.bitPattern) }
    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
    mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }
}

/// Little-endian reader over one message's payload; every read names its field so that a short
/// payload says exactly what was missing.
struct ByteReader {
    let bytes: [UInt8]
    let message: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], message: String) {
        self.bytes = bytes
        self.message = message
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ field: String) throws(ClipProtocolError) -> Int {
        guard remaining >= count else {
            throw .truncated(message: message, field: field, offset: offset, needed: count, available: remaining)
        }
        defer { offset += count }
        return offset
    }

    mutating func u8(_ field: String) throws(ClipProtocolError) -> UInt8 {
        bytes[try take(1, field)]
    }
    mutating func u16(_ field: String) throws(ClipProtocolError) -> UInt16 {
        let at = try take(2, field)
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }
    mutating func u32(_ field: String) throws(ClipProtocolError) -> UInt32 {
        let at = try take(4, field)
        return readUInt32LE(bytes, at)
    }
    mutating func u64(_ field: String) throws(ClipProtocolError) -> UInt64 {
        let at = try take(8, field)
        return UInt64(readUInt32LE(bytes, at)) | UInt64(readUInt32LE(bytes, at + 4)) << 32
    }
    mutating func i32(_ field: String) throws(ClipProtocolError) -> Int32 { Int32(bitPattern: try u32(field)) }
    mutating func i64(_ field: String) throws(ClipProtocolError) -> Int64 { Int64(bitPattern: try u64(field)) }
    mutating func f32(_ field: String) throws(ClipProtocolError) -> Float { Float(bitPattern: try u32(field)) }
    mutating func bytes(_ count: Int, _ field: String) throws(ClipProtocolError) -> [UInt8] {
        let at = try take(count, field)
        return Array(bytes[at..<(at + count)])
    }
    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}

@inline(__always) func readUInt32LE(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
}

@inline(__always) func readUInt16LE(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
}

func hexByte(_ value: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return "0x" + String(digits[Int(value >> 4)]) + String(digits[Int(value & 0xF)])
}

func hex32(_ value: UInt32) -> String {
    let digits = Array("0123456789ABCDEF")
    var text = "0x"
    for shift in stride(from: 28, through: 0, by: -4) { text.append(digits[Int((value >> UInt32(shift)) & 0xF)]) }
    return text
}
