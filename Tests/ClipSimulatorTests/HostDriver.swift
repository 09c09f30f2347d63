import ClipProtocol
import ClipSimulator

/// A minimal host for tests: writes request frames to bulk OUT and pumps bulk IN until a frame
/// completes, the way the sync client does over USB, with a chosen IN transfer size.
struct HostDriver {
    let clip: ClipSimulator
    var inTransferSize = 64
    var outTransferSize = 64
    var decoder = FrameDecoder()
    var nextSequence: UInt16 = 1
    /// Every IN transfer's size, to check the clip never exceeds the host's buffer.
    var inTransferSizes: [Int] = []
    /// The last outcome that was not `.completed`.
    var lastFailure: EndpointOutcome?

    init(_ clip: ClipSimulator, inTransferSize: Int = 64) {
        self.clip = clip
        self.inTransferSize = inTransferSize
    }

    /// Writes raw bytes to bulk OUT in transfers of `outTransferSize`; false if a transfer failed.
    @discardableResult
    mutating func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + outTransferSize, bytes.count)
            let outcome = clip.bulkOut(Array(bytes[offset..<end]))
            guard case let .completed(_, count) = outcome, count == end - offset else {
                lastFailure = outcome
                return false
            }
            offset = end
        }
        return true
    }

    /// Sends `request` with the next sequence number; returns that sequence.
    @discardableResult
    mutating func send(_ request: ClipRequest) -> UInt16 {
        let sequence = nextSequence
        nextSequence &+= 1
        write(request.encoded(sequence: sequence))
        return sequence
    }

    /// Pumps bulk IN until a frame completes; nil when the clip has nothing (`.pending`) or a transfer failed.
    mutating func receiveFrame() -> Frame? {
        while true {
            let outcome = clip.bulkIn(maxLength: inTransferSize)
            guard case let .completed(bytes, count) = outcome else {
                if outcome != .pending { lastFailure = outcome }
                return nil
            }
            inTransferSizes.append(count)
            if let frame = decoder.frames(from: bytes).first { return frame }
        }
    }

    /// Pumps bulk IN until a frame completes and decodes it.
    mutating func receive() -> ClipResponse? {
        guard let frame = receiveFrame() else { return nil }
        return try? ClipResponse(decoding: frame)
    }

    /// Sends `request` and returns its response, checking the sequence is echoed.
    mutating func call(_ request: ClipRequest) -> ClipResponse? {
        let sequence = send(request)
        guard let frame = receiveFrame() else { return nil }
        precondition(frame.sequence == sequence || frame.type == FrameType.streamData.rawValue, "sequence not echoed")
        return try? ClipResponse(decoding: frame)
    }

    /// Reads a whole session in requests of `pieceLength` bytes.
    mutating func readSession(id: UInt32, pieceLength: UInt32) -> [UInt8]? {
        var bytes: [UInt8] = []
        while true {
            guard case let .sessionData(chunk)? = call(.readSession(ReadSessionRequest(sessionID: id, offset: UInt32(bytes.count), length: pieceLength))) else {
                return nil
            }
            bytes += chunk.data
            if chunk.data.count < Int(pieceLength) { return bytes }
        }
    }
}
