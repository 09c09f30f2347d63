/// One frame on the wire: a 12-byte header, the payload, and the payload's CRC.
///
/// Layout (little-endian):
/// ```
/// offset size field
///  0     2    magic 0x42 0x53 ("BS")
///  2     1    type
///  3     1    flags (reserved, 0x00)
///  4     2    sequence
///  6     2    payload length N (0…4104)
///  8     4    header CRC-32C of bytes 0…7
/// 12     N    payload
/// 12+N   4    payload CRC-32C of the N payload bytes (0x00000000 when N = 0)
/// ```
public struct Frame: Sendable, Equatable, Hashable {
    /// The two magic bytes every frame starts with.
    public static let magic: (UInt8, UInt8) = (0x42, 0x53)
    /// Bytes before the payload.
    public static let headerLength = 12
    /// Bytes after the payload.
    public static let trailerLength = 4
    /// The largest payload: one 4 096-byte session read plus its 8-byte session id and offset.
    public static let maxPayloadLength = 4104
    /// The largest frame in bytes (4 120).
    public static let maxFrameLength = headerLength + maxPayloadLength + trailerLength

    /// The frame type (see `FrameType`).
    public var type: UInt8
    /// Requests: chosen by the host, incremented per request; responses: the request's sequence echoed;
    /// STREAM_DATA: the clip's stream frame counter.
    public var sequence: UInt16
    /// The payload bytes.
    public var payload: [UInt8]

    /// Creates a frame; the payload must not exceed `maxPayloadLength`.
    public init(type: UInt8, sequence: UInt16, payload: [UInt8] = []) {
        precondition(payload.count <= Frame.maxPayloadLength, "payload longer than Frame.maxPayloadLength")
        self.type = type
        self.sequence = sequence
        self.payload = payload
    }

    /// Creates a frame of a known type.
    public init(_ type: FrameType, sequence: UInt16, payload: [UInt8] = []) {
        self.init(type: type.rawValue, sequence: sequence, payload: payload)
    }

    /// Total encoded length in bytes.
    public var encodedLength: Int { Frame.headerLength + payload.count + Frame.trailerLength }

    /// The frame's bytes on the wire.
    public func encoded() -> [UInt8] {
        var out = ByteWriter(capacity: encodedLength)
        out.u8(Frame.magic.0)
        out.u8(Frame.magic.1)
        out.u8(type)
        out.u8(0)
        out.u16(sequence)
        out.u16(UInt16(payload.count))
        out.u32(CRC32C.checksum(out.bytes))
        out.append(payload)
        out.u32(payload.isEmpty ? 0 : CRC32C.checksum(payload))
        return out.bytes
    }

    /// Decodes exactly one frame from `bytes` (no leading garbage, no trailing bytes).
    public init(decoding bytes: [UInt8]) throws(ClipProtocolError) {
        let header = try Frame.decodeHeader(bytes[...])
        guard bytes.count == header.frameLength else {
            throw .frameLengthMismatch(declared: header.frameLength, actual: bytes.count)
        }
        self = try Frame.decodeBody(header: header, bytes[...])
    }

    /// A validated header: what the first 12 bytes promise.
    struct Header {
        var type: UInt8
        var sequence: UInt16
        var payloadLength: Int
        var frameLength: Int { Frame.headerLength + payloadLength + Frame.trailerLength }
    }

    /// Checks magic, flags, header CRC and length of the 12 bytes at the start of `bytes`.
    static func decodeHeader(_ bytes: ArraySlice<UInt8>) throws(ClipProtocolError) -> Header {
        let s = bytes.startIndex
        guard bytes.count >= headerLength else {
            throw .truncated(message: "frame", field: "header", offset: 0, needed: headerLength, available: bytes.count)
        }
        guard bytes[s] == magic.0, bytes[s + 1] == magic.1 else { throw .badMagic(found: [bytes[s], bytes[s + 1]]) }
        let stored = UInt32(bytes[s + 8]) | UInt32(bytes[s + 9]) << 8 | UInt32(bytes[s + 10]) << 16 | UInt32(bytes[s + 11]) << 24
        let computed = CRC32C.checksum(bytes[s..<(s + 8)])
        guard stored == computed else { throw .headerCRCMismatch(stored: stored, computed: computed) }
        guard bytes[s + 3] == 0 else { throw .reservedFlags(value: bytes[s + 3]) }
        let length = Int(bytes[s + 6]) | Int(bytes[s + 7]) << 8
        guard length <= maxPayloadLength else { throw .payloadTooLong(length: length, maximum: maxPayloadLength) }
        return Header(type: bytes[s + 2], sequence: UInt16(bytes[s + 4]) | UInt16(bytes[s + 5]) << 8, payloadLength: length)
    }

    /// Checks the payload CRC of a frame whose validated header starts `bytes` (which holds the whole frame).
    static func decodeBody(header: Header, _ bytes: ArraySlice<UInt8>) throws(ClipProtocolError) -> Frame {
        let payloadStart = bytes.startIndex + headerLength
        let payloadEnd = payloadStart + header.payloadLength
        let payload = bytes[payloadStart..<payloadEnd]
        let stored = UInt32(bytes[payloadEnd]) | UInt32(bytes[payloadEnd + 1]) << 8
            | UInt32(bytes[payloadEnd + 2]) << 16 | UInt32(bytes[payloadEnd + 3]) << 24
        let computed = payload.isEmpty ? 0 : CRC32C.checksum(payload)
        guard stored == computed else {
            throw .payloadCRCMismatch(type: header.type, sequence: header.sequence, stored: stored, computed: computed)
        }
        return Frame(type: header.type, sequence: header.sequence, payload: Array(payload))
    }
}

/// Frame types. Requests (host → clip) are 0x01…0x3F; the response to request `t` is `t | 0x80`;
/// 0x70 is the clip's unsolicited live-stream frame and 0xFF the error response to any request.
public enum FrameType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case hello = 0x01
    case getInfo = 0x02
    case getClock = 0x03
    case setClock = 0x04
    case listSessions = 0x05
    case readSession = 0x06
    case streamStart = 0x07
    case streamStop = 0x08
    case ackErase = 0x09
    case helloReply = 0x81
    case info = 0x82
    case clock = 0x83
    case clockSet = 0x84
    case sessionList = 0x85
    case sessionData = 0x86
    case streamStarted = 0x87
    case streamStopped = 0x88
    case erased = 0x89
    case streamData = 0x70
    case error = 0xFF

    /// The spec's name (HELLO, GET_INFO, …).
    public var description: String {
        switch self {
        case .hello: "HELLO"
        case .getInfo: "GET_INFO"
        case .getClock: "GET_CLOCK"
        case .setClock: "SET_CLOCK"
        case .listSessions: "LIST_SESSIONS"
        case .readSession: "READ_SESSION"
        case .streamStart: "STREAM_START"
        case .streamStop: "STREAM_STOP"
        case .ackErase: "ACK_ERASE"
        case .helloReply: "HELLO_REPLY"
        case .info: "INFO"
        case .clock: "CLOCK"
        case .clockSet: "CLOCK_SET"
        case .sessionList: "SESSION_LIST"
        case .sessionData: "SESSION_DATA"
        case .streamStarted: "STREAM_STARTED"
        case .streamStopped: "STREAM_STOPPED"
        case .erased: "ERASED"
        case .streamData: "STREAM_DATA"
        case .error: "ERROR"
        }
    }

    /// Whether the host sends this type.
    public var isRequest: Bool { rawValue < 0x40 }
}
