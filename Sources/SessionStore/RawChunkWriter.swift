import Foundation
import GaitDSP
import GRDB

/// Cuts a session's samples into chunks of `RawSampleCodec.chunkCapacity` and inserts them into
/// `rawChunk` as they fill, so an import holds at most one chunk (plus the reader's block).
struct RawChunkWriter {
    let sessionID: SessionID
    let accelScaleG: Float?
    let gyroScaleDPS: Float?
    private var pending = IMUBlock()
    private(set) var chunkCount = 0
    private(set) var sampleCount = 0
    private(set) var storedByteCount = 0

    init(sessionID: SessionID, accelScaleG: Float? = nil, gyroScaleDPS: Float? = nil) {
        self.sessionID = sessionID
        self.accelScaleG = accelScaleG
        self.gyroScaleDPS = gyroScaleDPS
    }

    /// Adds samples, writing every chunk that fills.
    mutating func append(_ block: IMUBlock, in db: Database) throws {
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
            if pending.count == capacity { try flush(in: db) }
        }
    }

    /// Writes the last, partly filled chunk.
    mutating func finish(in db: Database) throws {
        if pending.count > 0 { try flush(in: db) }
    }

    private mutating func flush(in db: Database) throws {
        let (bytes, rawCount) = RawSampleCodec.encode(pending, accelScaleG: accelScaleG, gyroScaleDPS: gyroScaleDPS)
        try RawChunkRecord(
            sessionId: sessionID, chunkIndex: chunkCount, sampleCount: pending.count, firstTimeS: pending.timeS[0],
            encodedByteCount: rawCount, data: Data(bytes)
        ).insert(db)
        chunkCount += 1
        sampleCount += pending.count
        storedByteCount += bytes.count
        pending.removeAll()
    }
}
