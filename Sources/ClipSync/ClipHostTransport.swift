import ClipProtocol
import ClipUSB

/// How a transfer failed, as far as the sync client needs to know to recover.
public enum TransportFailure: Sendable, Equatable {
    /// The clip is gone: stop, keep what is stored, resume at the next plug-in.
    case disconnected
    /// Nothing arrived in time: ask again.
    case timedOut
    /// The endpoint halted: clear the halt, then ask again.
    case stalled(endpoint: UInt8)
    /// Anything else: give up on this clip for now.
    case other
}

/// The host side of the clip's two bulk endpoints. `ClipConnection` (the real libusb path) is
/// the transport in use; the interface lets the sync logic also be driven in-process.
public protocol ClipHostTransport: AnyObject {
    /// Writes to bulk OUT; returns the bytes the clip accepted.
    func write(_ bytes: [UInt8], timeoutMs: Int) throws -> Int
    /// Reads one transfer of at most `maxLength` bytes from bulk IN.
    func read(maxLength: Int, timeoutMs: Int) throws -> [UInt8]
    /// Clears a halt on `endpoint`.
    func clearHalt(endpoint: UInt8) throws
    /// Classifies an error this transport threw.
    func classify(_ error: any Error) -> TransportFailure
}

extension ClipConnection: ClipHostTransport {
    /// Maps `ClipUSBError` to what the sync client does about it.
    public func classify(_ error: any Error) -> TransportFailure {
        guard let error = error as? ClipUSBError else { return .other }
        switch error {
        case .unplugged, .closed, .clipNotFound: return .disconnected
        case .timedOut: return .timedOut
        case .stalled(_, let endpoint): return .stalled(endpoint: endpoint)
        default: return .other
        }
    }
}
