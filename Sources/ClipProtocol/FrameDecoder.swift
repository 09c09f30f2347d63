/// Turns a byte stream, fed in chunks of any size, into frames, resynchronising after garbage.
///
/// Resynchronisation (PROTOCOL.md §3.4): find the magic 0x42 0x53; once 12 bytes are present,
/// validate the header CRC, the reserved flags and the length; if anything fails, drop one byte and
/// scan again. Once the whole frame is present, check the payload CRC; if it fails, report the
/// corrupt frame (so a clip can answer with an error naming its sequence), drop one byte and scan
/// again, so a real frame that began inside the damaged span is still found. Memory is bounded by
/// one maximal frame plus the last chunk.
public struct FrameDecoder: Sendable {
    /// What the decoder found in the bytes fed to it, in stream order.
    public enum Event: Sendable, Equatable {
        /// A complete frame with valid header and payload CRCs.
        case frame(Frame)
        /// `byteCount` bytes that were not part of any valid frame were dropped.
        case skipped(byteCount: Int)
        /// A frame whose header was valid but whose payload CRC was not; its bytes are rescanned.
        case corruptFrame(type: UInt8, sequence: UInt16, error: ClipProtocolError)
    }

    private var buffer: [UInt8] = []
    private var start = 0
    private var pendingSkip = 0
    /// Total bytes dropped as garbage since creation.
    public private(set) var skippedByteCount = 0
    /// Total frames decoded since creation.
    public private(set) var frameCount = 0

    /// Creates an empty decoder.
    public init() {}

    /// Bytes held while waiting for the rest of a frame.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Discards any partial frame (after a device reset or reconnect).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        pendingSkip = 0
    }

    /// Feeds `bytes` and returns what they completed, in order. Garbage is reported as one
    /// `.skipped` event before the next frame, or at the end of the call.
    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        var events: [Event] = []
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
        scan: while true {
            // Find the next magic; everything before it is garbage.
            var candidate = start
            while candidate < buffer.count {
                if buffer[candidate] == Frame.magic.0 {
                    if candidate + 1 == buffer.count || buffer[candidate + 1] == Frame.magic.1 { break }
                }
                candidate += 1
            }
            drop(candidate - start)
            if buffer.count - start < Frame.headerLength { break scan }
            let header: Frame.Header
            do {
                header = try Frame.decodeHeader(buffer[start...])
            } catch {
                drop(1)
                continue scan
            }
            if buffer.count - start < header.frameLength { break scan }
            do {
                let frame = try Frame.decodeBody(header: header, buffer[start..<(start + header.frameLength)])
                flushSkip(into: &events)
                events.append(.frame(frame))
                frameCount += 1
                start += header.frameLength
            } catch {
                flushSkip(into: &events)
                events.append(.corruptFrame(type: header.type, sequence: header.sequence, error: error))
                drop(1)
            }
        }
        flushSkip(into: &events)
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return events
    }

    /// Convenience: feeds `bytes` and returns only the complete frames.
    public mutating func frames(from bytes: [UInt8]) -> [Frame] {
        feed(bytes).compactMap { if case let .frame(frame) = $0 { frame } else { nil } }
    }

    private mutating func drop(_ count: Int) {
        start += count
        pendingSkip += count
        skippedByteCount += count
    }

    private mutating func flushSkip(into events: inout [Event]) {
        if pendingSkip > 0 {
            events.append(.skipped(byteCount: pendingSkip))
            pendingSkip = 0
        }
    }
}
