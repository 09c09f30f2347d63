import GaitDSP

/// Analyses a session file: the reader streams blocks into the gait engine, so memory stays
/// bounded by the engine's window and the reader's buffer whatever the file's length.
public enum SessionFileAnalyzer {
    /// Reads `path` block by block and returns its gait analysis.
    ///
    /// The nominal sampling rate is, in order: the configuration's, the file's declared `fs_hz`,
    /// or the rate estimated from the timestamps. `progress` is called after each block with the
    /// bytes consumed and the file's size.
    public static func analyze(
        path: String, configuration: GaitEngineConfiguration = GaitEngineConfiguration(),
        progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)? = nil
    ) throws(SessionIOError) -> GaitAnalysis {
        var reader = try CSVSessionReader(path: path)
        var engine = GaitEngine(configuration: Self.configuration(for: reader.metadata, base: configuration))
        var block = IMUBlock(capacity: reader.blockSize, hasGyro: reader.metadata.hasGyro)
        while try reader.nextBlock(into: &block) {
            engine.process(block)
            progress?(reader.bytesConsumed, reader.totalBytes)
        }
        return engine.finish(input: inputDescription(path: path, reader: reader))
    }

    /// The engine configuration for a file: the file's declared rate unless one was given.
    public static func configuration(for metadata: SessionMetadata, base: GaitEngineConfiguration) -> GaitEngineConfiguration {
        var configuration = base
        if configuration.nominalSampleRateHz == nil { configuration.nominalSampleRateHz = metadata.declaredSampleRateHz }
        return configuration
    }

    /// Describes what the reader read, for the analysis document.
    public static func inputDescription(path: String, reader: CSVSessionReader) -> InputDescription {
        InputDescription(
            source: path, format: reader.metadata.dialectName, device: reader.metadata.device,
            serial: reader.metadata.serial, hasGyroscope: reader.metadata.hasGyro,
            warnings: reader.warnings.map(\.description))
    }
}
