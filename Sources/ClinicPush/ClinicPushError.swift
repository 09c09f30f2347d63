/// Why pairing with a clinic or pushing a session to it failed, with what it was working on.
public enum ClinicPushError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The clinic's URL is not an http(s) URL with a host.
    case invalidURL(String)
    /// Plain HTTP to a host other than this machine: the device token and the runner's data would
    /// cross the network readable.
    case insecureURL(String)
    /// gaitd is not paired with a clinic (no pairing file).
    case notPaired(path: String)
    /// The pairing file cannot be read or written.
    case pairingFile(path: String, reason: String)
    /// The clinic could not be reached (refused, reset, timed out): retried later.
    case unreachable(url: String, reason: String)
    /// The clinic answered with an error status and its reason.
    case refused(status: Int, message: String, url: String)
    /// The clinic's answer is not what the API documents.
    case unexpectedAnswer(url: String, reason: String)
    /// The stored session could not be written out for the push.
    case export(sessionID: Int64, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): return "'\(url)' is not a clinic URL (https://host/)"
        case .insecureURL(let url):
            return "\(url): refusing to push over plain HTTP to another machine; use https:// (plain http:// only to this machine: 127.0.0.1, ::1, localhost)"
        case .notPaired(let path): return "not paired with a clinic (no \(path)); pair with `gait clinic pair URL CODE`"
        case let .pairingFile(path, reason): return "\(path): \(reason)"
        case let .unreachable(url, reason): return "\(url): the clinic cannot be reached: \(reason)"
        case let .refused(status, message, url): return "\(url): the clinic answered \(status): \(message)"
        case let .unexpectedAnswer(url, reason): return "\(url): unexpected answer: \(reason)"
        case let .export(id, reason): return "session \(id): cannot be written out for the clinic: \(reason)"
        }
    }

    /// The clinic refused this session for good (it cannot read it, it is too large, it belongs to
    /// another runner there): pushing it again would be refused again.
    public var isPermanent: Bool {
        if case .refused(let status, _, _) = self { return [409, 413, 422].contains(status) }
        if case .export = self { return true }
        return false
    }

    /// The clinic no longer accepts the device token (revoked, expired, unknown): pair again.
    public var isUnauthorized: Bool {
        if case .refused(401, _, _) = self { return true }
        return false
    }
}
