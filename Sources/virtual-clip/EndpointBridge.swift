import ClipProtocol
import VirtualClipHandler

/// Connects the C handler's callbacks to a `ClipDeviceEndpoints` object. The handler calls
/// them from umockdev's thread, one at a time.
final class EndpointBridge {
    let device: ClipDeviceEndpoints
    /// Called after the device answers `.disconnect` (the handler then unplugs the clip).
    var onDisconnect: (@Sendable () -> Void)?

    init(device: ClipDeviceEndpoints) {
        self.device = device
    }

    /// The callbacks for `vch_clip_new`; valid while this bridge lives (the clip holds it).
    var callbacks: vch_endpoint_callbacks {
        vch_endpoint_callbacks(
            context: Unmanaged.passUnretained(self).toOpaque(),
            bulk_out: { context, data, length, accepted in
                let bridge = Unmanaged<EndpointBridge>.fromOpaque(context!).takeUnretainedValue()
                let bytes = length > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: length)) : []
                let outcome = bridge.device.bulkOut(bytes)
                if case .completed(_, let count) = outcome { accepted?.pointee = max(0, min(count, length)) }
                return bridge.cOutcome(outcome)
            },
            bulk_in: { context, buffer, capacity, filled in
                let bridge = Unmanaged<EndpointBridge>.fromOpaque(context!).takeUnretainedValue()
                let outcome = bridge.device.bulkIn(maxLength: capacity)
                if case .completed(let bytes, _) = outcome, let buffer {
                    let count = min(bytes.count, capacity)
                    for index in 0..<count { buffer[index] = bytes[index] }
                    filled?.pointee = count
                }
                return bridge.cOutcome(outcome)
            },
            clear_halt: { context, endpoint in
                Unmanaged<EndpointBridge>.fromOpaque(context!).takeUnretainedValue().device.clearHalt(endpoint: endpoint)
            },
            reset: { context in
                Unmanaged<EndpointBridge>.fromOpaque(context!).takeUnretainedValue().device.reset()
            }
        )
    }

    func cOutcome(_ outcome: EndpointOutcome) -> vch_outcome {
        if case .disconnect = outcome, let onDisconnect { onDisconnect() }
        return EndpointBridge.cOutcome(outcome)
    }

    static func cOutcome(_ outcome: EndpointOutcome) -> vch_outcome {
        switch outcome {
        case .completed: return VCH_OUTCOME_COMPLETED
        case .pending: return VCH_OUTCOME_PENDING
        case .stall: return VCH_OUTCOME_STALL
        case .disconnect: return VCH_OUTCOME_DISCONNECT
        case .neverComplete: return VCH_OUTCOME_NEVER_COMPLETE
        }
    }
}
