#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ClipProtocol
import GaitDSP

/// Streams a session stored from the clip (`.bsession`: the on-flash bytes, Firmware-protocol §6)
/// as `IMUBlock`s, block by block with bounded memory. Bad blocks (power loss, damage) are
/// skipped and counted: their samples are absent, nothing is interpolated.
///
/// What the reader keeps about a file is bounded whatever the file holds: bad blocks are kept as
/// runs of one kind of reason, at most `retainedBadBlockRunLimit` of them, then only counted (a
/// 2 GB zero-filled file once kept one string per block, 597 MB). A file without a single valid
/// sample is refused (`SessionIOError.emptyClipSession`), early when its first
/// `maximumLeadingBadBlocks` data blocks are all bad.
public struct ClipSessionReader {
    /// The session header (sensor scales, rate, serial, start time).
    public let header: SessionHeader
    /// The file read.
    public let path: String
    /// The first runs of bad blocks met so far (at most `retainedBadBlockRunLimit`).
    public private(set) var badBlockRuns: [BadBlockRun] = []
    /// Bad data blocks met so far (all of them, beyond the runs kept).
    public private(set) var badBlockCount = 0
    /// Data blocks met so far, bad ones and a trailing partial one included.
    public private(set) var dataBlockCount = 0
    /// Samples read so far from blocks that verified.
    public private(set) var sampleCount = 0
    /// Bytes read so far and the file's size (for progress).
    public private(set) var bytesConsumed = 0
    public let totalBytes: Int

    /// Runs of bad blocks kept for messages; later ones are only counted. Design choice: enough to
    /// name the damage of any real copy, tested by "a zero-filled file keeps a bounded record".
    public static let retainedBadBlockRunLimit = 16
    /// Data blocks that may be bad before the first good one: a clip writes its first data block
    /// right after the header, so 1 MiB of blocks without one is not a recording (a zero-filled
    /// or foreign file) and is refused without reading the rest. Design choice, tested by
    /// "a zero-filled file with a valid header is refused early, naming its blocks".
    public static let maximumLeadingBadBlocks = 2048

    private let descriptor: Int32
    private var nextBlockIndex = 1
    /// Time just after the last sample of the last block read, seconds from the session's start.
    private var previousBlockEndS = 0.0
    private let blocksPerRead = 128
    private var buffer: [UInt8] = []
    private let decodeSamples: Bool

    /// Whether `path` starts like a clip session (the header block's magic "BSSH").
    public static func looksLikeClipSession(path: String) -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { _ = Glibc.close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 4)
        guard read(descriptor, &magic, 4) == 4 else { return false }
        return magic == [0x42, 0x53, 0x53, 0x48]
    }

    /// Opens `path` and verifies its header block.
    public init(path: String) throws(SessionIOError) {
        try self.init(path: path, decodeSamples: true)
    }

    /// Opens `path`; with `decodeSamples: false` the blocks are only verified and counted.
    init(path: String, decodeSamples: Bool) throws(SessionIOError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        fstat(descriptor, &status)
        var block = [UInt8](repeating: 0, count: SessionHeader.blockSize)
        let got = read(descriptor, &block, block.count)
        guard got == block.count else {
            _ = Glibc.close(descriptor)
            throw got == 0 ? .emptyFile(path: path) : .readFailed(path: path, reason: "the header block is cut short (\(max(0, got)) of 512 bytes)")
        }
        do {
            header = try SessionHeader(block: block)
        } catch {
            _ = Glibc.close(descriptor)
            throw .readFailed(path: path, reason: "block 0 (the session header) is bad: \(error)")
        }
        self.path = path
        self.descriptor = descriptor
        self.decodeSamples = decodeSamples
        totalBytes = Int(status.st_size)
        bytesConsumed = block.count
    }

    /// How complete the file is, verified block by block without decoding samples (bounded
    /// memory); an empty session is `SessionIOError.emptyClipSession`.
    public static func completeness(path: String, isCancelled: (@Sendable () -> Bool)? = nil) throws(SessionIOError) -> ClipSessionCompleteness {
        var reader = try ClipSessionReader(path: path, decodeSamples: false)
        defer { reader.close() }
        while try reader.nextBlock() != nil {
            if isCancelled?() == true { throw .cancelled(path: path) }
        }
        return reader.completeness
    }

    /// `1.5 s`, `3e+07 s`: a duration for a bad-block note.
    static func seconds(_ value: Double) -> String {
        value < 1e6 ? "\((value * 1000).rounded() / 1000) s" : "\(value.rounded()) s"
    }

    /// Closes the file.
    public func close() { _ = Glibc.close(descriptor) }

    /// The first bad blocks met so far, as "block N: reason" or "blocks N–M: reason" (bounded).
    public var badBlocks: [String] { badBlockRuns.map(\.description) }

    /// How complete the file read so far is (the whole file once `nextBlock` returned nil).
    public var completeness: ClipSessionCompleteness {
        ClipSessionCompleteness(sampleCount: sampleCount, dataBlockCount: dataBlockCount, badBlockCount: badBlockCount,
                                badBlockRuns: badBlockRuns)
    }

    /// The metadata `gait analyze` reports for this input.
    public var inputDescription: InputDescription {
        InputDescription(source: path, format: "Backstride clip session", device: "Backstride clip", serial: header.serial,
                         hasGyroscope: header.hasGyroscope)
    }

    /// Data blocks the file holds after its header, a trailing partial one included.
    var dataBlocksInFile: Int { (max(0, totalBytes - SessionHeader.blockSize) + SessionHeader.blockSize - 1) / SessionHeader.blockSize }

    /// The next samples (up to 128 blocks' worth; none when they were all bad), or nil at the end
    /// of the file. A file whose data blocks hold no valid sample is `.emptyClipSession`.
    public mutating func nextBlock() throws(SessionIOError) -> IMUBlock? {
        let blockSize = SessionHeader.blockSize
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: blockSize * blocksPerRead) }
        let got = try fillBuffer()
        if got == 0 {
            guard sampleCount > 0 else {
                throw .emptyClipSession(path: path, dataBlocksRead: dataBlockCount, dataBlocksInFile: dataBlockCount,
                                        badBlocks: badBlockRuns.first?.description)
            }
            return nil
        }
        bytesConsumed += got
        let gyro = header.hasGyroscope
        var samples = IMUBlock(capacity: decodeSamples ? blocksPerRead * SessionDataBlock.capacity(hasGyroscope: gyro) : 0, hasGyro: gyro)
        let rate = header.sampleRateHz, tickRate = Double(header.tickRateHz)
        let accelScale = header.accelGPerLsb, gyroScale = header.gyroDPSPerLsb
        var offset = 0
        while offset < got {
            let end = min(got, offset + blockSize)
            let index = nextBlockIndex
            nextBlockIndex += 1
            dataBlockCount += 1
            defer { offset = end }
            // A zero-filled block is told apart without copying it (a zero-filled file has millions).
            if end - offset == blockSize, Self.isZeroFilled(buffer, from: offset) {
                try reject(index, .zeroFilled)
                continue
            }
            let block: SessionDataBlock
            do {
                block = try SessionDataBlock(block: Array(buffer[offset..<end]))
            } catch {
                try reject(index, error)
                continue
            }
            guard block.sequence == UInt32(truncatingIfNeeded: index) else {
                try reject(index, .wrongSequence(expected: UInt32(truncatingIfNeeded: index), found: block.sequence))
                continue
            }
            guard block.sessionID == header.sessionID else {
                try reject(index, .wrongSession(expected: header.sessionID, found: block.sessionID))
                continue
            }
            guard block.hasGyroscope == gyro else {
                try reject(index, .gyroscopeFlagMismatch)
                continue
            }
            let start = Double(Int64(bitPattern: block.firstSampleTicks &- header.startTicks)) / tickRate
            // Ticks that go back into the previous block's samples (or before the session's start)
            // would give bouts that end before they start: the block is left out, as a bad one is.
            let overlapS = previousBlockEndS - start
            if overlapS > 0.5 / rate {
                try reject(index, .ticksWentBackwards(overlapS: (overlapS * 1000).rounded() / 1000))
                continue
            }
            guard start <= SessionTimeLimits.maximumSessionSpanS else {
                throw .blockTimeOutOfSpan(path: path, block: index, offsetS: start)
            }
            previousBlockEndS = start + Double(block.samples.count) / rate
            sampleCount += block.samples.count
            guard decodeSamples else { continue }
            for (i, s) in block.samples.enumerated() {
                let t = start + Double(i) / rate
                let x = Float(s.accelX) * accelScale, y = Float(s.accelY) * accelScale, z = Float(s.accelZ) * accelScale
                if gyro {
                    samples.append(timeS: t, x: x, y: y, z: z, gx: Float(s.gyroX) * gyroScale, gy: Float(s.gyroY) * gyroScale, gz: Float(s.gyroZ) * gyroScale)
                } else {
                    samples.append(timeS: t, x: x, y: y, z: z)
                }
            }
        }
        return samples
    }

    /// Reads up to a buffer's worth (fewer only at the end of the file); returns the bytes read.
    private mutating func fillBuffer() throws(SessionIOError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    /// Counts a bad block, extending the last run or starting one while fewer than the limit are
    /// kept; refuses the file once too many blocks before any good one were bad.
    private mutating func reject(_ index: Int, _ reason: BadBlockReason) throws(SessionIOError) {
        badBlockCount += 1
        if let last = badBlockRuns.last, last.isContinued(by: index, reason) {
            badBlockRuns[badBlockRuns.count - 1].lastBlock = index
        } else if badBlockRuns.count < Self.retainedBadBlockRunLimit {
            badBlockRuns.append(BadBlockRun(firstBlock: index, lastBlock: index, reason: reason))
        }
        if sampleCount == 0, badBlockCount >= Self.maximumLeadingBadBlocks {
            throw .emptyClipSession(path: path, dataBlocksRead: dataBlockCount, dataBlocksInFile: dataBlocksInFile,
                                    badBlocks: badBlockRuns.map(\.description).prefix(ClipSessionCompleteness.runsInReason).joined(separator: "; "))
        }
    }

    /// Whether the 512 bytes at `offset` are all zero.
    private static func isZeroFilled(_ bytes: [UInt8], from offset: Int) -> Bool {
        bytes.withUnsafeBytes { raw in
            var accumulated: UInt64 = 0
            var at = offset
            let end = offset + SessionHeader.blockSize
            while at < end {
                accumulated |= raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                at += 8
            }
            return accumulated == 0
        }
    }
}
