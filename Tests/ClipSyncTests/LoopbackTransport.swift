import ClipProtocol
import ClipSimulator
import ClipSync

/// An in-process transport wired straight to a `ClipSimulator`'s endpoints, for exercising the
/// sync logic byte by byte without USB. (The real libusb path is tested through the virtual clip
/// in IntegrationTests; this does not stand in for it.)
final class LoopbackTransport: ClipHostTransport {
    enum Failure: Error, Equatable { case unplugged, timedOut, stalled(UInt8) }

    let clip: ClipSimulator

    init(_ clip: ClipSimulator) { self.clip = clip }

    func write(_ bytes: [UInt8], timeoutMs: Int) throws -> Int {
        switch clip.bulkOut(bytes) {
        case .completed(_, let count): return count
        case .pending, .neverComplete: throw Failure.timedOut
        case .stall: throw Failure.stalled(0x01)
        case .disconnect: throw Failure.unplugged
        }
    }

    func read(maxLength: Int, timeoutMs: Int) throws -> [UInt8] {
        switch clip.bulkIn(maxLength: maxLength) {
        case .completed(let bytes, _): return bytes
        case .pending, .neverComplete: throw Failure.timedOut
        case .stall: throw Failure.stalled(0x81)
        case .disconnect: throw Failure.unplugged
        }
    }

    func clearHalt(endpoint: UInt8) throws {
        guard clip.isConnected else { throw Failure.unplugged }
        clip.clearHalt(endpoint: endpoint)
    }

    func classify(_ error: any Error) -> TransportFailure {
        switch error as? Failure {
        case .unplugged: .disconnected
        case .timedOut: .timedOut
        case .stalled(let endpoint): .stalled(endpoint: endpoint)
        case nil: .other
        }
    }
}
