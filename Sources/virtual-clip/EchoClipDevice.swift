import ClipProtocol

/// A stand-in clip for USB tests: bulk IN returns what bulk OUT received, one transfer each,
/// and a few text commands written to bulk OUT inject faults into the next IN transfer.
///
/// Commands (the whole OUT transfer, ASCII): `!stall-in` (the next IN stalls), `!hang-in` (the
/// next IN never completes), `!unplug-in` (the clip unplugs at the next IN), `!stall-out` (this
/// OUT stalls), `!unplug` (the clip unplugs now). Anything else is echoed.
final class EchoClipDevice: ClipDeviceEndpoints {
    private var toHost: [[UInt8]] = []
    private var nextInFault: EndpointOutcome?

    func bulkOut(_ bytes: [UInt8]) -> EndpointOutcome {
        switch String(decoding: bytes, as: UTF8.self) {
        case "!stall-in": nextInFault = .stall
        case "!hang-in": nextInFault = .neverComplete
        case "!unplug-in": nextInFault = .disconnect
        case "!stall-out": return .stall
        case "!unplug": return .disconnect
        default: toHost.append(bytes)
        }
        return .completed(bytes: [], count: bytes.count)
    }

    func bulkIn(maxLength: Int) -> EndpointOutcome {
        if let fault = nextInFault {
            nextInFault = nil
            return fault
        }
        guard !toHost.isEmpty else { return .pending }
        var packet = toHost.removeFirst()
        if packet.count > maxLength {
            toHost.insert(Array(packet[maxLength...]), at: 0)
            packet = Array(packet[..<maxLength])
        }
        return .completed(bytes: packet, count: packet.count)
    }

    func clearHalt(endpoint: UInt8) {}

    func reset() {
        toHost.removeAll()
        nextInFault = nil
    }
}
