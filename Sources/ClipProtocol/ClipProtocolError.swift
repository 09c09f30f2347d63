/// Why bytes could not be decoded as a frame or a message; each case says what, which field and where.
public enum ClipProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A message payload ended before `field` (at payload offset `offset`, `needed` bytes, `available` left).
    case truncated(message: String, field: String, offset: Int, needed: Int, available: Int)
    /// The frame does not start with the magic 0x42 0x53 ("BS"); `found` holds the first two bytes.
    case badMagic(found: [UInt8])
    /// The header CRC (frame bytes 8…11) does not match the CRC-32C of bytes 0…7.
    case headerCRCMismatch(stored: UInt32, computed: UInt32)
    /// The header declares a payload longer than the protocol maximum.
    case payloadTooLong(length: Int, maximum: Int)
    /// The payload CRC (after the payload) does not match the CRC-32C of the payload.
    case payloadCRCMismatch(type: UInt8, sequence: UInt16, stored: UInt32, computed: UInt32)
    /// A byte buffer holds a different number of bytes than the one frame its header declares.
    case frameLengthMismatch(declared: Int, actual: Int)
    /// The header's reserved flags byte is not zero.
    case reservedFlags(value: UInt8)
    /// The frame type is not a known request (when decoding requests) or response (when decoding responses).
    case unknownFrameType(type: UInt8, expected: String)
    /// A field holds a value the protocol does not allow.
    case invalidField(message: String, field: String, value: Int64, reason: String)

    public var description: String {
        switch self {
        case let .truncated(message, field, offset, needed, available):
            return "\(message): payload too short for \(field) at offset \(offset) (needs \(needed) bytes, \(available) left)"
        case let .badMagic(found):
            return "frame: bad magic \(found.map(hexByte).joined(separator: " ")) (expected 0x42 0x53)"
        case let .headerCRCMismatch(stored, computed):
            return "frame: header CRC \(hex32(stored)) does not match computed \(hex32(computed))"
        case let .payloadTooLong(length, maximum):
            return "frame: payload length \(length) exceeds the maximum \(maximum)"
        case let .payloadCRCMismatch(type, sequence, stored, computed):
            return "frame type \(hexByte(type)) seq \(sequence): payload CRC \(hex32(stored)) does not match computed \(hex32(computed))"
        case let .frameLengthMismatch(declared, actual):
            return "frame: header declares \(declared) bytes in total but \(actual) were given"
        case let .reservedFlags(value):
            return "frame: reserved flags byte is \(hexByte(value)), must be 0x00"
        case let .unknownFrameType(type, expected):
            return "frame: type \(hexByte(type)) is not a known \(expected)"
        case let .invalidField(message, field, value, reason):
            return "\(message): \(field) = \(value) is invalid: \(reason)"
        }
    }
}
