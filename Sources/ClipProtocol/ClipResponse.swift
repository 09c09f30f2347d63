/// A frame from the clip to the host: a response to a request, or an unsolicited STREAM_DATA.
public enum ClipResponse: Sendable, Equatable {
    case helloReply(HelloReply)
    case info(DeviceInfo)
    case clock(ClockState)
    case clockSet(ClockState)
    case sessionList(SessionListPage)
    case sessionData(SessionDataChunk)
    case streamStarted(StreamParameters)
    case streamStopped(StreamStopped)
    case erased(EraseResult)
    case streamData(StreamData)
    case error(ErrorResponse)

    /// The response's frame type.
    public var frameType: FrameType {
        switch self {
        case .helloReply: .helloReply
        case .info: .info
        case .clock: .clock
        case .clockSet: .clockSet
        case .sessionList: .sessionList
        case .sessionData: .sessionData
        case .streamStarted: .streamStarted
        case .streamStopped: .streamStopped
        case .erased: .erased
        case .streamData: .streamData
        case .error: .error
        }
    }

    /// The response's payload bytes.
    public func payload() -> [UInt8] {
        switch self {
        case let .helloReply(m): m.payload()
        case let .info(m): m.payload()
        case let .clock(m), let .clockSet(m): m.payload()
        case let .sessionList(m): m.payload()
        case let .sessionData(m): m.payload()
        case let .streamStarted(m): m.payload()
        case let .streamStopped(m): m.payload()
        case let .erased(m): m.payload()
        case let .streamData(m): m.payload()
        case let .error(m): m.payload()
        }
    }

    /// The response as a frame: `sequence` echoes the request's (or counts stream frames).
    public func frame(sequence: UInt16) -> Frame {
        Frame(frameType, sequence: sequence, payload: payload())
    }

    /// The response's bytes on the wire.
    public func encoded(sequence: UInt16) -> [UInt8] { frame(sequence: sequence).encoded() }

    /// Decodes a frame from the clip (the host's side).
    public init(decoding frame: Frame) throws(ClipProtocolError) {
        guard let type = FrameType(rawValue: frame.type), !type.isRequest else {
            throw .unknownFrameType(type: frame.type, expected: "response")
        }
        let p = frame.payload
        switch type {
        case .helloReply: self = .helloReply(try HelloReply(payload: p))
        case .info: self = .info(try DeviceInfo(payload: p))
        case .clock: self = .clock(try ClockState(payload: p, message: "CLOCK"))
        case .clockSet: self = .clockSet(try ClockState(payload: p, message: "CLOCK_SET"))
        case .sessionList: self = .sessionList(try SessionListPage(payload: p))
        case .sessionData: self = .sessionData(try SessionDataChunk(payload: p))
        case .streamStarted: self = .streamStarted(try StreamParameters(payload: p))
        case .streamStopped: self = .streamStopped(try StreamStopped(payload: p))
        case .erased: self = .erased(try EraseResult(payload: p))
        case .streamData: self = .streamData(try StreamData(payload: p))
        case .error: self = .error(try ErrorResponse(payload: p))
        default: throw .unknownFrameType(type: frame.type, expected: "response")
        }
    }
}
