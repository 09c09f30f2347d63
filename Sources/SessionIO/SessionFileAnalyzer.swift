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
        if ClipSessionReader.looksLikeClipSession(path: path) {
            return try analyzeClipSession(path: path, configuration: configuration, progress: progress)
        }
        var reader = try CSVSessionReader(path: path)
        var engine = GaitEngine(configuration: Self.configuration(for: reader.metadata, base: configuration))
        var block = IMUBlock(capacity: reader.blockSize, hasGyro: reader.metadata.hasGyro)
        while try reader.nextBlock(into: &block) {
            engine.process(block)
            progress?(reader.bytesConsumed, reader.totalBytes)
        }
        return engine.finish(input: inputDescription(path: path, reader: reader))
    }

    /// Analyses a session stored from the clip (`.bsession`); bad blocks become warnings.
    static func analyzeClipSession(
        path: String, configuration: GaitEngineConfiguration, progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)?
    ) throws(SessionIOError) -> GaitAnalysis {
        var reader = try ClipSessionReader(path: path)
        defer { reader.close() }
        var settings = configuration
        if settings.nominalSampleRateHz == nil { settings.nominalSampleRateHz = reader.header.sampleRateHz }
        var engine = GaitEngine(configuration: settings)
        while let block = try reader.nextBlock() {
            engine.process(block)
            progress?(reader.bytesConsumed, reader.totalBytes)
        }
        var input = reader.inputDescription
        if let reason = reader.completeness.incompleteReason { input.warnings.append("incomplete session: \(reason)") }
        return engine.finish(input: input)
    }

    /// The engine configuration for a file: the file's declared rate unless one was given.
    public static func configuration(for metadata: SessionMetadata, base: GaitEngineConfiguration) -> GaitEngineConfiguration {
        var configuration = base
        if configuration.nominalSampleRateHz == nil { configuration.nominalSampleRateHz = metadata.declaredSampleRateHz }
        return configuration
    }

    /// Describes what the reader read, for the analysis document.
    public static func inputDescription(path: String, reader: CSVSessionReader) -> InputDescription {
        var input = InputDescription(
            source: path, format: reader.metadata.dialectName, device: reader.metadata.device,
            serial: reader.metadata.serial, hasGyroscope: reader.metadata.hasGyro,
            warnings: reader.warnings.map(\.description))
        input.startUTCS = reader.metadata.startUTCS
        return input
    }
}
