/// CRC-32C (Castagnoli), the checksum of every frame and every flash block.
///
/// Parameters (Rocksoft model, as in RFC 3720 §B.4): width 32, polynomial 0x1EDC6F41 (reflected
/// 0x82F63B78), init 0xFFFFFFFF, reflected input and output, final XOR 0xFFFFFFFF. The check value
/// over the ASCII bytes "123456789" is 0xE3069283. Castagnoli's polynomial keeps Hamming distance
/// 6 up to 5 243 data bits (a whole 512-byte block), where CRC-32/ISO-HDLC keeps it only up to 268
/// (Koopman 2002), and many MCUs compute it in hardware. This is a
/// table-driven slicing-by-8 implementation (Kounavis & Berry 2005).
public struct CRC32C: Sendable, Equatable {
    /// The CRC of "123456789".
    public static let checkValue: UInt32 = 0xE306_9283

    /// The running register (before the final XOR).
    @usableFromInline var register: UInt32 = 0xFFFF_FFFF

    /// Starts a new checksum.
    @inlinable public init() {}

    /// The checksum of everything fed so far.
    @inlinable public var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// Feeds `bytes`.
    @inlinable public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        register = CRC32C.advance(register, bytes)
    }

    /// Feeds `bytes`.
    @inlinable public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The checksum of `bytes`.
    @inlinable public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        advance(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// The checksum of `bytes`.
    @inlinable public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The checksum of `bytes`.
    @inlinable public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The eight 256-entry tables, flattened: `tables[k * 256 + b]` is byte `b` advanced by `k` more zero bytes.
    @usableFromInline static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for slice in 1..<8 {
                crc = (crc >> 8) ^ tables[Int(crc & 0xFF)]
                tables[slice * 256 + byte] = crc
            }
        }
        return tables
    }()

    /// Advances the register over `bytes`, eight at a time.
    @inlinable static func advance(_ start: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var pointer = bytes.baseAddress else { return start }
        var remaining = bytes.count
        var crc = start
        return tables.withUnsafeBufferPointer { table -> UInt32 in
            let t = table.baseAddress!
            while remaining >= 8 {
                let word = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word >> 32)
                crc = t[7 * 256 + Int(low & 0xFF)]
                    ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)]
                    ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)]
                    ^ t[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)]
                pointer += 1
                remaining -= 1
            }
            return crc
        }
    }
}
