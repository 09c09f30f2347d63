/// Samples of a session in units, struct-of-arrays (one contiguous array per axis).
public struct SessionSamples: Sendable, Equatable {
    /// Seconds since the session's first sample (the header's start ticks).
    public var timeS: [Double] = []
    public var accelXG: [Float] = [], accelYG: [Float] = [], accelZG: [Float] = []
    /// Angular rates in deg/s; empty when the session has no gyroscope.
    public var gyroXDPS: [Float] = [], gyroYDPS: [Float] = [], gyroZDPS: [Float] = []

    public init() {}

    /// Creates samples from arrays (gyroscope arrays empty when there is none).
    public init(timeS: [Double], accelXG: [Float], accelYG: [Float], accelZG: [Float], gyroXDPS: [Float] = [], gyroYDPS: [Float] = [], gyroZDPS: [Float] = []) {
        self.timeS = timeS
        self.accelXG = accelXG; self.accelYG = accelYG; self.accelZG = accelZG
        self.gyroXDPS = gyroXDPS; self.gyroYDPS = gyroYDPS; self.gyroZDPS = gyroZDPS
    }

    /// Number of samples.
    public var count: Int { timeS.count }
}

/// A session's bytes, verified block by block.
public struct DecodedSession: Sendable, Equatable {
    /// The header, or nil when block 0 is bad (then no sample can be decoded).
    public var header: SessionHeader?
    /// Whole 512-byte blocks seen, the header included.
    public var blockCount: Int
    /// Data blocks that verified and whose samples are in `samples`.
    public var goodDataBlockCount: Int
    /// Every rejected block, in order; a trailing partial block is reported as `.truncated`.
    public var badBlocks: [BadBlock]
    /// Samples from the good data blocks only; nothing is interpolated over bad ones.
    public var samples: SessionSamples

    /// True when the header and every block verified and no bytes were left over. An incomplete
    /// session keeps its good blocks; the host stores it flagged "incomplete".
    public var isComplete: Bool { header != nil && badBlocks.isEmpty }
}

/// Verifies and decodes a session's raw bytes into samples, fed in chunks of any size (for example
/// as READ_SESSION answers arrive). Bad blocks are reported by index and skipped; their neighbours
/// still decode because every block carries its own sequence, time and CRC.
public struct SessionBlockDecoder: Sendable {
    private var result = DecodedSession(header: nil, blockCount: 0, goodDataBlockCount: 0, badBlocks: [], samples: SessionSamples())
    private var partial: [UInt8] = []
    private let decodeSamples: Bool
    private var previousGoodEnd: (block: Int, nextIndex: UInt32)?
    /// Time just after the last sample of the last good data block, seconds from the session's start.
    private var previousGoodEndS = 0.0
    // From the header, for the hot loop.
    private var accelScale: Float = 0, gyroScale: Float = 0
    private var samplePeriodS = 0.0, tickPeriodS = 0.0
    private var startTicks: UInt64 = 0, sessionID: UInt32 = 0, hasGyroscope = false

    /// Creates a decoder; with `decodeSamples: false` it only verifies.
    public init(decodeSamples: Bool = true) {
        self.decodeSamples = decodeSamples
        partial.reserveCapacity(SessionHeader.blockSize)
    }

    /// Decodes a whole session at once.
    public static func decode(_ bytes: [UInt8], decodeSamples: Bool = true) -> DecodedSession {
        var decoder = SessionBlockDecoder(decodeSamples: decodeSamples)
        decoder.feed(bytes)
        return decoder.finish()
    }

    /// Feeds the next bytes of the session.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Feeds the next bytes of the session.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        let blockSize = SessionHeader.blockSize
        var offset = 0
        if !partial.isEmpty {
            let take = min(blockSize - partial.count, bytes.count)
            partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
            offset = take
            if partial.count == blockSize {
                let block = partial
                partial.removeAll(keepingCapacity: true)
                block.withUnsafeBytes { pointer in
                    if let good = process(pointer) { fill(pointer.baseAddress!, [good]) }
                }
            }
        }
        // Verify every whole block first, then convert the good ones' samples in one tight pass.
        var good: [GoodBlock] = []
        good.reserveCapacity((bytes.count - offset) / blockSize)
        let chunkStart = offset
        while bytes.count - offset >= blockSize {
            if var block = process(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + blockSize)])) {
                block.offset = offset - chunkStart
                good.append(block)
            }
            offset += blockSize
        }
        if !good.isEmpty { fill(bytes.baseAddress! + chunkStart, good) }
        if offset < bytes.count { partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
    }

    /// Everything decoded; a leftover partial block is reported as truncated.
    public func finish() -> DecodedSession {
        var final = result
        if !partial.isEmpty {
            final.badBlocks.append(BadBlock(index: final.blockCount, reason: .truncated(byteCount: partial.count)))
        }
        return final
    }

    @discardableResult
    private mutating func reject(_ index: Int, _ reason: BadBlockReason) -> GoodBlock? {
        result.badBlocks.append(BadBlock(index: index, reason: reason))
        return nil
    }

    /// A verified data block awaiting sample conversion: its byte offset, sample count and first time.
    private struct GoodBlock {
        var offset: Int
        var count: Int
        var firstTimeS: Double
    }

    /// Verifies one block; returns the data block's sample location when it is good.
    private mutating func process(_ block: UnsafeRawBufferPointer) -> GoodBlock? {
        let index = result.blockCount
        result.blockCount += 1
        if index == 0 {
            do {
                let header = try SessionHeader(block: Array(block))
                result.header = header
                accelScale = header.accelGPerLsb
                gyroScale = header.gyroDPSPerLsb
                samplePeriodS = 1000 / Double(header.sampleRateMilliHz)
                tickPeriodS = 1 / Double(header.tickRateHz)
                startTicks = header.startTicks
                sessionID = header.sessionID
                hasGyroscope = header.hasGyroscope
            } catch {
                reject(0, error)
            }
            return nil
        }
        guard result.header != nil else { return reject(index, .noValidHeader) }
        let base = block.baseAddress!
        let stored = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 508, as: UInt32.self))
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: block[0..<508]))
        guard stored == computed else { return reject(index, classifyBadCRC(Array(block), stored: stored, computed: computed)) }
        let magic = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        guard magic == SessionDataBlock.magic else { return reject(index, .badMagic(found: magic)) }
        let sequence = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard sequence == UInt32(truncatingIfNeeded: index) else { return reject(index, .wrongSequence(expected: UInt32(truncatingIfNeeded: index), found: sequence)) }
        let blockSession = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard blockSession == sessionID else { return reject(index, .wrongSession(expected: sessionID, found: blockSession)) }
        let flags = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 26, as: UInt16.self))
        guard (flags & 1 != 0) == hasGyroscope else { return reject(index, .gyroscopeFlagMismatch) }
        let count = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt16.self)))
        let capacity = SessionDataBlock.capacity(hasGyroscope: hasGyroscope)
        guard count >= 1, count <= capacity else { return reject(index, .sampleCountOutOfRange(count: count, capacity: capacity)) }
        let firstIndex = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        if let previous = previousGoodEnd, previous.block == index - 1, previous.nextIndex != firstIndex {
            reject(index, .sampleIndexGap(expected: previous.nextIndex, found: firstIndex)); return nil
        }
        let firstTicks = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let firstTimeS = Double(Int64(bitPattern: firstTicks &- startTicks)) * tickPeriodS
        // A block dated before the end of the previous one (or before the session's start) would
        // give bouts that end before they start: its samples are left out, as a bad block's are.
        let overlapS = previousGoodEndS - firstTimeS
        if overlapS > samplePeriodS / 2 { return reject(index, .ticksWentBackwards(overlapS: overlapS)) }
        previousGoodEndS = firstTimeS + Double(count) * samplePeriodS
        previousGoodEnd = (index, firstIndex &+ UInt32(count))
        result.goodDataBlockCount += 1
        guard decodeSamples else { return nil }
        return GoodBlock(offset: 0, count: count, firstTimeS: firstTimeS)
    }

    /// Converts the samples of verified blocks (at `base + block.offset`) to units, appending them.
    private mutating func fill(_ base: UnsafeRawPointer, _ blocks: [GoodBlock]) {
        var total = 0
        for block in blocks { total += block.count }
        guard total > 0 else { return }
        let gyro = hasGyroscope
        let stride = gyro ? 12 : 6
        let a = accelScale, g = gyroScale, period = samplePeriodS
        // Take the arrays out of `result` so each is uniquely referenced while it is written.
        var timeS = result.samples.timeS, ax = result.samples.accelXG, ay = result.samples.accelYG, az = result.samples.accelZG
        var gx = result.samples.gyroXDPS, gy = result.samples.gyroYDPS, gz = result.samples.gyroZDPS
        result.samples = SessionSamples()
        let start = timeS.count
        timeS.append(contentsOf: repeatElement(0, count: total))
        ax.append(contentsOf: repeatElement(0, count: total))
        ay.append(contentsOf: repeatElement(0, count: total))
        az.append(contentsOf: repeatElement(0, count: total))
        if gyro {
            gx.append(contentsOf: repeatElement(0, count: total))
            gy.append(contentsOf: repeatElement(0, count: total))
            gz.append(contentsOf: repeatElement(0, count: total))
        }
        timeS.withUnsafeMutableBufferPointer { t in
            var n = start
            for block in blocks {
                for i in 0..<block.count { t[n + i] = block.firstTimeS + Double(i) * period }
                n += block.count
            }
        }
        func convert(_ axis: inout [Float], byteOffset: Int, scale: Float) {
            axis.withUnsafeMutableBufferPointer { out in
                let o = out.baseAddress!
                var n = start
                for block in blocks {
                    let p = base + block.offset + SessionDataBlock.samplesOffset + byteOffset
                    for i in 0..<block.count {
                        o[n + i] = Float(Int16(littleEndian: p.loadUnaligned(fromByteOffset: i * stride, as: Int16.self))) * scale
                    }
                    n += block.count
                }
            }
        }
        convert(&ax, byteOffset: 0, scale: a)
        convert(&ay, byteOffset: 2, scale: a)
        convert(&az, byteOffset: 4, scale: a)
        if gyro {
            convert(&gx, byteOffset: 6, scale: g)
            convert(&gy, byteOffset: 8, scale: g)
            convert(&gz, byteOffset: 10, scale: g)
        }
        result.samples = SessionSamples(timeS: timeS, accelXG: ax, accelYG: ay, accelZG: az, gyroXDPS: gx, gyroYDPS: gy, gyroZDPS: gz)
    }
}
