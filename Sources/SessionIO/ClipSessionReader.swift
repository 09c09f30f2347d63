#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ClipProtocol
import GaitDSP

/// Streams a session stored from the clip (`.bsession`: the on-flash bytes, Firmware-protocol §6)
/// as `IMUBlock`s, block by block with bounded memory. Bad blocks (power loss, damage) are
/// skipped with a warning: their samples are absent, nothing is interpolated.
public struct ClipSessionReader {
    /// The session header (sensor scales, rate, serial, start time).
    public let header: SessionHeader
    /// The file read.
    public let path: String
    /// Bad blocks met so far, as "block N: reason".
    public private(set) var badBlocks: [String] = []
    /// Bytes read so far and the file's size (for progress).
    public private(set) var bytesConsumed = 0
    public let totalBytes: Int

    private let descriptor: Int32
    private var nextBlockIndex = 1
    /// Time just after the last sample of the last block read, seconds from the session's start.
    private var previousBlockEndS = 0.0
    private let blocksPerRead = 128

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
        totalBytes = Int(status.st_size)
        bytesConsumed = block.count
    }

    /// `1.5 s`, `3e+07 s`: a duration for a bad-block note.
    static func seconds(_ value: Double) -> String {
        value < 1e6 ? "\((value * 1000).rounded() / 1000) s" : "\(value.rounded()) s"
    }

    /// Closes the file.
    public func close() { _ = Glibc.close(descriptor) }

    /// The metadata `gait analyze` reports for this input.
    public var inputDescription: InputDescription {
        InputDescription(source: path, format: "Backstride clip session", device: "Backstride clip", serial: header.serial,
                         hasGyroscope: header.hasGyroscope)
    }

    /// The next samples (up to 128 blocks' worth), or nil at the end of the file.
    public mutating func nextBlock() throws(SessionIOError) -> IMUBlock? {
        let blockSize = SessionHeader.blockSize
        var buffer = [UInt8](repeating: 0, count: blockSize * blocksPerRead)
        let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        guard got >= 0 else { throw .readFailed(path: path, reason: String(cString: strerror(errno))) }
        if got == 0 { return nil }
        bytesConsumed += got
        let gyro = header.hasGyroscope
        var samples = IMUBlock(capacity: blocksPerRead * SessionDataBlock.capacity(hasGyroscope: gyro), hasGyro: gyro)
        let rate = header.sampleRateHz, tickRate = Double(header.tickRateHz)
        let accelScale = header.accelGPerLsb, gyroScale = header.gyroDPSPerLsb
        var offset = 0
        while offset < got {
            let end = min(got, offset + blockSize)
            let bytes = Array(buffer[offset..<end])
            defer {
                offset = end
                nextBlockIndex += 1
            }
            let block: SessionDataBlock
            do {
                block = try SessionDataBlock(block: bytes)
            } catch {
                badBlocks.append("block \(nextBlockIndex): \(error)")
                continue
            }
            guard block.sequence == UInt32(nextBlockIndex), block.sessionID == header.sessionID else {
                badBlocks.append("block \(nextBlockIndex): sequence \(block.sequence) of session \(block.sessionID)")
                continue
            }
            let start = Double(Int64(bitPattern: block.firstSampleTicks &- header.startTicks)) / tickRate
            // Ticks that go back into the previous block's samples (or before the session's start)
            // would give bouts that end before they start: the block is left out, as a bad one is.
            let overlapS = previousBlockEndS - start
            if overlapS > 0.5 / rate {
                badBlocks.append("block \(nextBlockIndex): its time goes back \(Self.seconds(overlapS)) into the previous samples")
                continue
            }
            guard start <= SessionTimeLimits.maximumSessionSpanS else {
                throw .blockTimeOutOfSpan(path: path, block: nextBlockIndex, offsetS: start)
            }
            previousBlockEndS = start + Double(block.samples.count) / rate
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
}
