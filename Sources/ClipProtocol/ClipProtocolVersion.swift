/// Protocol versions and their negotiation (PROTOCOL.md §4).
///
/// The frame header, HELLO and HELLO_REPLY are frozen across versions; a version only adds commands
/// or appends fields to the end of payloads, and every decoder ignores trailing bytes it does not know.
/// Version 1: HELLO, GET_INFO, GET_CLOCK, SET_CLOCK, LIST_SESSIONS, READ_SESSION, ACK_ERASE.
/// Version 2: adds live streaming (STREAM_START, STREAM_STOP, STREAM_DATA).
public enum ClipProtocolVersion {
    /// The oldest version this code speaks.
    public static let minimum: UInt16 = 1
    /// The newest version this code speaks.
    public static let current: UInt16 = 2
    /// The first version with live streaming.
    public static let streaming: UInt16 = 2

    /// The highest version in both ranges, or nil when they do not overlap.
    public static func negotiate(hostMinimum: UInt16, hostMaximum: UInt16, deviceMinimum: UInt16, deviceMaximum: UInt16) -> UInt16? {
        let highest = min(hostMaximum, deviceMaximum)
        let lowest = max(hostMinimum, deviceMinimum)
        return highest >= lowest ? highest : nil
    }
}

/// The error codes carried by an ERROR frame (PROTOCOL.md §5.8). Unknown codes from newer clips
/// decode as themselves rather than failing.
public struct ClipErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The frame type is not a command this clip knows (at the negotiated version). detail = 0.
    public static let unknownCommand = ClipErrorCode(rawValue: 0x01)
    /// The payload is shorter than the command needs. detail = the payload length received.
    public static let badLength = ClipErrorCode(rawValue: 0x02)
    /// A field holds a value the clip does not accept. detail = the field's payload offset.
    public static let badValue = ClipErrorCode(rawValue: 0x03)
    /// HELLO: no common version. detail = clip minimum << 16 | clip maximum.
    public static let noCommonVersion = ClipErrorCode(rawValue: 0x04)
    /// No session with that id. detail = the id.
    public static let unknownSession = ClipErrorCode(rawValue: 0x05)
    /// ACK_ERASE: the checksum does not match the session's. detail = the session's checksum.
    public static let checksumMismatch = ClipErrorCode(rawValue: 0x06)
    /// READ_SESSION: offset beyond the session's end. detail = the session's byte length.
    public static let offsetOutOfRange = ClipErrorCode(rawValue: 0x07)
    /// The clip is busy (flash erase in progress); retry later. detail = suggested wait in ms.
    public static let busy = ClipErrorCode(rawValue: 0x08)
    /// The request's payload CRC failed; the request was not executed. detail = the stored CRC.
    public static let payloadCRC = ClipErrorCode(rawValue: 0x09)
    /// ACK_ERASE: the session is still being recorded. detail = the id.
    public static let sessionRecording = ClipErrorCode(rawValue: 0x0A)
    /// A flash read or erase failed. detail = the flash address.
    public static let flashFault = ClipErrorCode(rawValue: 0x0B)

    public var description: String {
        switch self {
        case .unknownCommand: "unknown command"
        case .badLength: "bad payload length"
        case .badValue: "bad field value"
        case .noCommonVersion: "no common protocol version"
        case .unknownSession: "unknown session"
        case .checksumMismatch: "session checksum mismatch"
        case .offsetOutOfRange: "offset out of range"
        case .busy: "busy"
        case .payloadCRC: "request payload CRC mismatch"
        case .sessionRecording: "session still recording"
        case .flashFault: "flash fault"
        default: "error code \(hexByte(rawValue))"
        }
    }
}
