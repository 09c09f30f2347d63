import ClipProtocol
import Foundation
import GaitDSP
import SessionIO
import SessionStore

/// A session file read once, outside any database transaction: the engine analyses the samples
/// while the store's chunk encoder spools them, so memory stays bounded by the engine's window
/// and one stored chunk, whatever the session's length.
struct SessionReading {
    /// The analysis of the samples.
    var analysis: GaitAnalysis
    /// What the reader reported, before the engine's additions (re-analysis starts from it).
    var readerInput: InputDescription
    /// The samples, encoded for the store.
    var spool: RawChunkSpool
    /// The rate the engine was told.
    var configuredSampleRateHz: Double?
    /// For a clip session: its header.
    var clipHeader: SessionHeader?
    /// For a clip session: why the copy is incomplete (bad blocks, a truncated tail), or nil.
    var incompleteReason: String? = nil

    /// Reads and analyses `path` (a CSV in any dialect SessionIO reads, or a `.bsession`).
    /// `adjustInput` may add to what the reader reports (a clock correction) before the engine runs.
    /// `isCancelled` is polled between blocks; when it returns true the reading stops with
    /// `SessionIOError.cancelled`.
    static func read(path: String, spoolDirectory: String?, adjustInput: (inout InputDescription) -> Void = { _ in },
                     progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)?,
                     isCancelled: (@Sendable () -> Bool)? = nil) throws(SessionIngestError) -> SessionReading {
        do {
            if ClipSessionReader.looksLikeClipSession(path: path) {
                return try readClipSession(path: path, spoolDirectory: spoolDirectory, adjustInput: adjustInput, progress: progress,
                                           isCancelled: isCancelled)
            }
            var reader = try CSVSessionReader(path: path)
            let configuration = SessionFileAnalyzer.configuration(for: reader.metadata, base: GaitEngineConfiguration())
            var engine = GaitEngine(configuration: configuration)
            let spool = try RawChunkSpool(directory: spoolDirectory)
            var block = IMUBlock(capacity: reader.blockSize, hasGyro: reader.metadata.hasGyro)
            while try reader.nextBlock(into: &block) {
                if isCancelled?() == true { throw SessionIOError.cancelled(path: path) }
                engine.process(block)
                try spool.append(block)
                progress?(reader.bytesConsumed, reader.totalBytes)
            }
            try spool.finish()
            var input = SessionFileAnalyzer.inputDescription(path: path, reader: reader)
            adjustInput(&input)
            return SessionReading(analysis: engine.finish(input: input), readerInput: input, spool: spool,
                                  configuredSampleRateHz: configuration.nominalSampleRateHz, clipHeader: nil)
        } catch let error as SessionIOError {
            throw .unreadable(error)
        } catch let error as SessionStoreError {
            throw .store(error)
        } catch {
            throw .store(.unreadableInput(path: path, reason: "\(error)"))
        }
    }

    /// A clip session: bad blocks become a warning, the samples keep their integer scales.
    private static func readClipSession(path: String, spoolDirectory: String?, adjustInput: (inout InputDescription) -> Void,
                                        progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)?,
                                        isCancelled: (@Sendable () -> Bool)?) throws -> SessionReading {
        var reader = try ClipSessionReader(path: path)
        defer { reader.close() }
        let header = reader.header
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: header.sampleRateHz))
        let spool = try RawChunkSpool(directory: spoolDirectory, accelScaleG: header.accelGPerLsb,
                                      gyroScaleDPS: header.hasGyroscope ? header.gyroDPSPerLsb : nil)
        while let block = try reader.nextBlock() {
            if isCancelled?() == true { throw SessionIOError.cancelled(path: path) }
            engine.process(block)
            try spool.append(block)
            progress?(reader.bytesConsumed, reader.totalBytes)
        }
        try spool.finish()
        // What SessionFileAnalyzer reports for a clip session, so a stored analysis matches `gait analyze`.
        var input = reader.inputDescription
        let incompleteReason = reader.completeness.incompleteReason
        if let incompleteReason { input.warnings.append("incomplete session: \(incompleteReason)") }
        adjustInput(&input)
        return SessionReading(analysis: engine.finish(input: input), readerInput: input, spool: spool,
                              configuredSampleRateHz: header.sampleRateHz, clipHeader: header, incompleteReason: incompleteReason)
    }
}
