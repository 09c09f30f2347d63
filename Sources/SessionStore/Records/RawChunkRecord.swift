import Foundation
import GRDB

/// Up to `RawSampleCodec.chunkCapacity` raw samples of a session, deflated (table `rawChunk`):
/// the source of truth that metrics are recomputed from.
public struct RawChunkRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rawChunk"
    /// The session.
    public var sessionId: Int64
    /// 0-based position of the chunk in the session.
    public var chunkIndex: Int
    /// Samples in the chunk.
    public var sampleCount: Int
    /// Time of the first sample, seconds on the input's clock.
    public var firstTimeS: Double
    /// Size of the encoded chunk before deflate, bytes.
    public var encodedByteCount: Int
    /// `RawSampleCodec` bytes, deflated.
    public var data: Data

    public init(sessionId: Int64, chunkIndex: Int, sampleCount: Int, firstTimeS: Double, encodedByteCount: Int, data: Data) {
        self.sessionId = sessionId
        self.chunkIndex = chunkIndex
        self.sampleCount = sampleCount
        self.firstTimeS = firstTimeS
        self.encodedByteCount = encodedByteCount
        self.data = data
    }
}

