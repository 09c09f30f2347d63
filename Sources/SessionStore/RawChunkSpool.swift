#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GaitDSP

/// A session's raw samples cut into stored chunks and encoded (`RawSampleCodec`) **before** the
/// write: the encoded chunks are spooled to an unlinked temporary file, so encoding, which is
/// most of an import's cost, runs outside any database transaction, and memory holds one chunk
/// at a time whatever the session's length. `SessionStore.insertSession` then copies the spooled
/// chunks into the database in its one short write.
public final class RawChunkSpool {
    /// One encoded chunk's place in the spool.
    struct Entry {
        var sampleCount: Int
        var firstTimeS: Double
        var encodedByteCount: Int
        var offset: Int
        var length: Int
    }

    /// The sensor's LSB sizes when the samples are integer counts (clip sessions), else nil.
    public let accelScaleG: Float?
    public let gyroScaleDPS: Float?
    private var pending = IMUBlock()
    private(set) var entries: [Entry] = []
    private let descriptor: Int32
    private var writeOffset = 0

    /// Samples appended so far.
    public private(set) var sampleCount = 0
    /// Bytes the encoded chunks take (what the database will hold).
    public var storedByteCount: Int { writeOffset }
    /// Chunks encoded so far (the last, partial chunk counts after `finish()`).
    public var chunkCount: Int { entries.count }

    /// Opens an empty spool in `directory` (default: the system's temporary folder).
    public init(directory: String? = nil, accelScaleG: Float? = nil, gyroScaleDPS: Float? = nil) throws(SessionStoreError) {
        self.accelScaleG = accelScaleG
        self.gyroScaleDPS = gyroScaleDPS
        let folder = directory ?? FileManager.default.temporaryDirectory.path
        var template = Array((folder + "/backstride-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .cannotWrite(path: folder, reason: "cannot create a spool file: " + String(cString: strerror(errno)))
        }
        // Unlinked at once: the spool disappears with the process, whatever happens to it.
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Adds samples, encoding every chunk that fills.
    public func append(_ block: IMUBlock) throws(SessionStoreError) {
        var start = 0
        let capacity = RawSampleCodec.chunkCapacity
        while start < block.count {
            let take = min(capacity - pending.count, block.count - start)
            let range = start..<(start + take)
            pending.timeS += block.timeS[range]
            pending.accelXG += block.accelXG[range]
            pending.accelYG += block.accelYG[range]
            pending.accelZG += block.accelZG[range]
            if block.hasGyro {
                pending.gyroXDPS += block.gyroXDPS[range]
                pending.gyroYDPS += block.gyroYDPS[range]
                pending.gyroZDPS += block.gyroZDPS[range]
            }
            start += take
            if pending.count == capacity { try flush() }
        }
    }

    /// Encodes the last, partly filled chunk.
    public func finish() throws(SessionStoreError) {
        if pending.count > 0 { try flush() }
    }

    private func flush() throws(SessionStoreError) {
        let (bytes, rawCount) = RawSampleCodec.encode(pending, accelScaleG: accelScaleG, gyroScaleDPS: gyroScaleDPS)
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, $0.count - done, off_t(writeOffset + done)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: "spool", reason: String(cString: strerror(errno)))
            }
            done += written
        }
        entries.append(Entry(sampleCount: pending.count, firstTimeS: pending.timeS[0], encodedByteCount: rawCount,
                             offset: writeOffset, length: bytes.count))
        writeOffset += bytes.count
        sampleCount += pending.count
        pending.removeAll()
    }

    /// The encoded bytes of chunk `index`.
    func bytes(of entry: Entry) throws(SessionStoreError) -> Data {
        var data = Data(count: entry.length)
        var done = 0
        while done < entry.length {
            let got = data.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, entry.length - done, off_t(entry.offset + done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw .cannotWrite(path: "spool", reason: "the spool file ended early") }
            done += got
        }
        return data
    }
}
