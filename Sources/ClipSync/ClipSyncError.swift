import ClipProtocol

/// Why talking to a clip or syncing it failed, with the clip's serial and what was being done.
public enum ClipSyncError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The clip went away; what was stored stays stored and the next sync resumes.
    case disconnected(serial: String, during: String)
    /// The clip did not answer after the retries.
    case noAnswer(serial: String, request: String, attempts: Int)
    /// The clip answered with an error frame.
    case clipError(serial: String, ErrorResponse)
    /// The clip answered with a frame that does not fit the request.
    case unexpectedResponse(serial: String, request: String, got: String)
    /// The clip and this program share no protocol version.
    case incompatibleVersion(serial: String, clipMinimum: UInt16, clipMaximum: UInt16)
    /// The transport failed in a way the client cannot recover from.
    case transport(serial: String, during: String, message: String)
    /// The local archive could not be written; nothing was acknowledged.
    case storage(path: String, reason: String)

    public var description: String {
        switch self {
        case let .disconnected(serial, during):
            "clip \(serial) was unplugged while \(during); what was stored is kept and the next sync resumes"
        case let .noAnswer(serial, request, attempts):
            "clip \(serial) did not answer \(request) after \(attempts) attempts"
        case let .clipError(serial, response):
            "clip \(serial): \(response)"
        case let .unexpectedResponse(serial, request, got):
            "clip \(serial) answered \(request) with \(got)"
        case let .incompatibleVersion(serial, minimum, maximum):
            "clip \(serial) speaks protocol versions \(minimum)…\(maximum), this program \(ClipProtocolVersion.minimum)…\(ClipProtocolVersion.current): update the program or the clip"
        case let .transport(serial, during, message):
            "clip \(serial): \(message) while \(during)"
        case let .storage(path, reason):
            "cannot store \(path): \(reason); nothing was acknowledged to the clip"
        }
    }
}
