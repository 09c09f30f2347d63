import Foundation
import GaitDSP
import GRDB

/// Reads a stored session's raw samples chunk by chunk (at most 65,536 samples in memory).
public struct RawSampleReader: Sendable {
    let database: DatabasePool
    /// The session read.
    public let sessionID: SessionID
    /// Number of stored chunks.
    public let chunkCount: Int
    private var nextIndex = 0

    init(database: DatabasePool, sessionID: SessionID, chunkCount: Int) {
        self.database = database
        self.sessionID = sessionID
        self.chunkCount = chunkCount
    }

    /// The next chunk's samples, or nil after the last.
    public mutating func next() throws -> IMUBlock? {
        guard nextIndex < chunkCount else { return nil }
        let index = nextIndex, id = sessionID
        let record = try database.read { db in
            try RawChunkRecord.fetchOne(db, key: ["sessionId": id, "chunkIndex": index])
        }
        guard let record else { throw SessionStoreError.corruptRawData(sessionID: id, chunkIndex: index, reason: "the chunk is missing") }
        nextIndex += 1
        return try Self.decode(record)
    }

    static func decode(_ record: RawChunkRecord) throws -> IMUBlock {
        guard let block = RawSampleCodec.decode([UInt8](record.data), rawCount: record.encodedByteCount),
              block.count == record.sampleCount else {
            throw SessionStoreError.corruptRawData(sessionID: record.sessionId, chunkIndex: record.chunkIndex, reason: "the samples do not decode")
        }
        return block
    }
}
