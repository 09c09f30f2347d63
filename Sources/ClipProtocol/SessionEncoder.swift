/// Writes a session in the on-flash format, as the clip's firmware does: the header block, then data
/// blocks filled with consecutive samples. A block is closed early when it is full, when the next
/// sample's time does not follow at the nominal rate (a gap), or on `flush()`.
public struct SessionEncoder: Sendable {
    /// The session's header (block 0).
    public let header: SessionHeader
    /// The session's bytes so far: the header block and every closed data block.
    public private(set) var bytes: [UInt8]
    /// Samples appended so far (including those not yet in a closed block).
    public private(set) var sampleCount = 0

    private var pending: [RawSample] = []
    private var pendingFirstTicks: UInt64 = 0
    private var pendingFirstIndex: UInt32 = 0
    private var nextSequence: UInt32 = 1
    private let ticksPerSample: Double

    /// Starts a session with `header`.
    public init(header: SessionHeader) {
        self.header = header
        bytes = header.encodedBlock()
        ticksPerSample = Double(header.tickRateHz) * 1000 / Double(header.sampleRateMilliHz)
        pending.reserveCapacity(header.samplesPerBlock)
    }

    /// Appends one sample taken at device time `ticks`.
    public mutating func append(_ sample: RawSample, ticks: UInt64) {
        if !pending.isEmpty {
            let expected = Double(pendingFirstTicks) + Double(pending.count) * ticksPerSample
            if abs(Double(ticks) - expected) * 2 > ticksPerSample { flush() }
        }
        if pending.isEmpty {
            pendingFirstTicks = ticks
            pendingFirstIndex = UInt32(sampleCount)
        }
        pending.append(sample)
        sampleCount += 1
        if pending.count == header.samplesPerBlock { flush() }
    }

    /// Closes the current data block if it holds any samples.
    public mutating func flush() {
        guard !pending.isEmpty else { return }
        let block = SessionDataBlock(sequence: nextSequence, sessionID: header.sessionID, firstSampleIndex: pendingFirstIndex,
                                     firstSampleTicks: pendingFirstTicks, hasGyroscope: header.hasGyroscope, samples: pending)
        bytes.append(contentsOf: block.encodedBlock())
        nextSequence += 1
        pending.removeAll(keepingCapacity: true)
    }

    /// Closes the last block and returns the whole session.
    public mutating func finish() -> [UInt8] {
        flush()
        return bytes
    }
}
