/// A command from the host to the clip.
public enum ClipRequest: Sendable, Equatable {
    case hello(HelloRequest)
    case getInfo
    case getClock
    case setClock(SetClockRequest)
    case listSessions(ListSessionsRequest)
    case readSession(ReadSessionRequest)
    case streamStart(StreamStartRequest)
    case streamStop
    case ackErase(AckEraseRequest)

    /// The request's frame type.
    public var frameType: FrameType {
        switch self {
        case .hello: .hello
        case .getInfo: .getInfo
        case .getClock: .getClock
        case .setClock: .setClock
        case .listSessions: .listSessions
        case .readSession: .readSession
        case .streamStart: .streamStart
        case .streamStop: .streamStop
        case .ackErase: .ackErase
        }
    }

    /// The request's payload bytes.
    public func payload() -> [UInt8] {
        switch self {
        case let .hello(m): m.payload()
        case .getInfo, .getClock, .streamStop: []
        case let .setClock(m): m.payload()
        case let .listSessions(m): m.payload()
        case let .readSession(m): m.payload()
        case let .streamStart(m): m.payload()
        case let .ackErase(m): m.payload()
        }
    }

    /// The request as a frame with the host's `sequence`.
    public func frame(sequence: UInt16) -> Frame {
        Frame(frameType, sequence: sequence, payload: payload())
    }

    /// The request's bytes on the wire.
    public func encoded(sequence: UInt16) -> [UInt8] { frame(sequence: sequence).encoded() }

    /// Decodes a request frame (the clip's side).
    public init(decoding frame: Frame) throws(ClipProtocolError) {
        guard let type = FrameType(rawValue: frame.type), type.isRequest else {
            throw .unknownFrameType(type: frame.type, expected: "request")
        }
        let p = frame.payload
        switch type {
        case .hello: self = .hello(try HelloRequest(payload: p))
        case .getInfo: self = .getInfo
        case .getClock: self = .getClock
        case .setClock: self = .setClock(try SetClockRequest(payload: p))
        case .listSessions: self = .listSessions(try ListSessionsRequest(payload: p))
        case .readSession: self = .readSession(try ReadSessionRequest(payload: p))
        case .streamStart: self = .streamStart(try StreamStartRequest(payload: p))
        case .streamStop: self = .streamStop
        case .ackErase: self = .ackErase(try AckEraseRequest(payload: p))
        default: throw .unknownFrameType(type: frame.type, expected: "request")
        }
    }
}
