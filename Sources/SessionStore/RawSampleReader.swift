import Foundation
import GaitDSP
import GRDB

/// Reads a stored session's raw samples chunk by chunk (at most 65,536 samples in memory).
///
/// The reader does not know which store it reads: each `next()` asks `fetchChunk` for one chunk
/// (SQLite: a read of the `DatabasePool`; PostgreSQL: one query on the store's connection).
public struct RawSampleReader: Sendable {
    /// Fetches the stored chunk with this 0-based index of the session, or nil when it is missing.
    typealias ChunkFetcher = @Sendable (_ chunkIndex: Int) throws -> RawChunkRecord?

    private let fetchChunk: ChunkFetcher
    /// The session read.
    public let sessionID: SessionID
    /// Number of stored chunks.
    public let chunkCount: Int
    private var nextIndex = 0

    init(sessionID: SessionID, chunkCount: Int, fetchChunk: @escaping ChunkFetcher) {
        self.sessionID = sessionID
        self.chunkCount = chunkCount
        self.fetchChunk = fetchChunk
    }

    /// A reader of the SQLite store's chunks.
    init(database: DatabasePool, sessionID: SessionID, chunkCount: Int) {
        self.init(sessionID: sessionID, chunkCount: chunkCount) { index in
            try database.read { db in
                try RawChunkRecord.fetchOne(db, key: ["sessionId": sessionID, "chunkIndex": index])
            }
        }
    }

    /// The next chunk's samples, or nil after the last.
    public mutating func next() throws -> IMUBlock? {
        guard nextIndex < chunkCount else { return nil }
        let index = nextIndex
        guard let record = try fetchChunk(index) else {
            throw SessionStoreError.corruptRawData(sessionID: sessionID, chunkIndex: index, reason: "the chunk is missing")
        }
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
