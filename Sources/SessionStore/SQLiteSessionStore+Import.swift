import ClipProtocol
import Foundation
import GaitDSP
import GRDB
import SessionIO

extension SQLiteSessionStore {
    public func importFile(path: String) throws -> (id: SessionID, inserted: Bool) {
        let hash = try ContentHash.ofFile(path: path)
        if let id = try wrap("looking up \(path)", { try database.read { try Self.sessionID(contentHash: hash, in: $0) } }) {
            return (id, false)
        }
        if ClipSessionReader.looksLikeClipSession(path: path) {
            return try importClipFile(path: path, serial: nil, firmware: nil, clipSessionID: nil, contentHash: hash,
                                      source: .import, analysis: nil)
        }
        return try importing(path: path) {
            try database.write { db -> (SessionID, Bool) in
                // Checked again inside the write transaction: imports are serialised here.
                if let id = try Self.sessionID(contentHash: hash, in: db) { return (id, false) }
                var reader = try CSVSessionReader(path: path)
                let configuration = SessionFileAnalyzer.configuration(for: reader.metadata, base: GaitEngineConfiguration())
                var session = Self.newSession(source: .csv, path: path, contentHash: hash, configuredRateHz: configuration.nominalSampleRateHz)
                try session.insert(db)
                let id = session.id!
                var engine = GaitEngine(configuration: configuration)
                var writer = RawChunkWriter(sessionID: id)
                var block = IMUBlock(capacity: reader.blockSize, hasGyro: reader.metadata.hasGyro)
                while try reader.nextBlock(into: &block) {
                    engine.process(block)
                    try writer.append(block, in: db)
                }
                try writer.finish(in: db)
                let readerInput = SessionFileAnalyzer.inputDescription(path: path, reader: reader)
                let analysis = engine.finish(input: readerInput)
                try Self.complete(&session, readerInput: readerInput, analysis: analysis, sampleCount: writer.sampleCount, in: db)
                return (id, true)
            }
        }
    }

    public func importClipSession(serial: String, firmware: String?, clipSessionID: UInt32, path: String,
                                  analysis: GaitAnalysis?) throws -> SessionID {
        let hash = try ContentHash.ofFile(path: path)
        return try importClipFile(path: path, serial: serial, firmware: firmware, clipSessionID: clipSessionID,
                                  contentHash: hash, source: .clip, analysis: analysis).id
    }

    public func importClipSession(serial: String, firmware: String?, clipSessionID: UInt32, bytes: [UInt8],
                                  analysis: GaitAnalysis?) throws -> SessionID {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-import-\(UUID().uuidString).bsession").path
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw SessionStoreError.unreadableInput(path: temporary, reason: "cannot write the session to a temporary file")
        }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        return try importClipSession(serial: serial, firmware: firmware, clipSessionID: clipSessionID, path: temporary, analysis: analysis)
    }

    /// Stores a clip session file: idempotent by serial + session id (the header's unless given)
    /// and by content hash.
    func importClipFile(path: String, serial givenSerial: String?, firmware givenFirmware: String?, clipSessionID givenID: UInt32?,
                        contentHash: String, source: SessionSource, analysis givenAnalysis: GaitAnalysis?) throws -> (id: SessionID, inserted: Bool) {
        try importing(path: path) {
            try database.write { db -> (SessionID, Bool) in
                var reader = try ClipSessionReader(path: path)
                defer { reader.close() }
                let header = reader.header
                let serial = givenSerial ?? header.serial
                let clipSessionID = Int64(givenID ?? header.sessionID)
                let firmware = givenFirmware ?? Self.firmwareName(bcd: header.firmwareBCD)
                var clip = try ClipRecord.filter(Column("serial") == serial).fetchOne(db) ?? ClipRecord(serial: serial, firmware: firmware)
                if clip.id == nil {
                    try clip.insert(db)
                } else if clip.firmware != firmware {
                    clip.firmware = firmware
                    try clip.update(db)
                }
                if let existing = try SessionRecord
                    .filter(Column("clipId") == clip.id! && Column("clipSessionId") == clipSessionID)
                    .fetchOne(db) {
                    return (existing.id!, false)
                }
                if let id = try Self.sessionID(contentHash: contentHash, in: db) { return (id, false) }
                var session = Self.newSession(source: source, path: path, contentHash: contentHash, configuredRateHz: header.sampleRateHz)
                session.clipId = clip.id
                session.clipSessionId = clipSessionID
                if header.startUTCMicroseconds != SessionHeader.utcNotSet {
                    session.startedAt = Date(timeIntervalSince1970: Double(header.startUTCMicroseconds) / 1_000_000)
                }
                try session.insert(db)
                let id = session.id!
                var engine = givenAnalysis == nil ? GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: header.sampleRateHz)) : nil
                var writer = RawChunkWriter(sessionID: id, accelScaleG: header.accelGPerLsb,
                                            gyroScaleDPS: header.hasGyroscope ? header.gyroDPSPerLsb : nil)
                while let block = try reader.nextBlock() {
                    engine?.process(block)
                    try writer.append(block, in: db)
                }
                try writer.finish(in: db)
                // What SessionFileAnalyzer reports for a clip session, so re-analysis matches `gait analyze`.
                var readerInput = reader.inputDescription
                if !reader.badBlocks.isEmpty {
                    readerInput.warnings.append("incomplete session: \(reader.badBlocks.count) bad block(s), their samples are absent (\(reader.badBlocks.prefix(3).joined(separator: "; ")))")
                }
                let analysis = givenAnalysis ?? engine!.finish(input: readerInput)
                try Self.complete(&session, readerInput: readerInput, analysis: analysis, sampleCount: writer.sampleCount, in: db)
                return (id, true)
            }
        }
    }

    // MARK: - Pieces of an import

    static func sessionID(contentHash: String, in db: Database) throws -> SessionID? {
        try SessionRecord.filter(Column("contentHash") == contentHash).fetchOne(db)?.id
    }

    static func newSession(source: SessionSource, path: String, contentHash: String?, configuredRateHz: Double?) -> SessionRecord {
        SessionRecord(
            id: nil, runnerId: nil, clipId: nil, clipSessionId: nil, contentHash: contentHash, source: source,
            sourcePath: path, startedAt: nil, timeZone: TimeZone.current.identifier, durationS: 0, sampleRateHz: 0,
            configuredSampleRateHz: configuredRateHz, sampleCount: 0, hasGyroscope: false, readerInputJSON: "{}",
            shoeId: nil, surface: nil, importedAt: Date())
    }

    /// Fills in what is known only after the samples were read, and stores the analysis.
    static func complete(_ session: inout SessionRecord, readerInput: InputDescription, analysis: GaitAnalysis,
                         sampleCount: Int, in db: Database) throws {
        session.durationS = analysis.durationS
        session.sampleRateHz = analysis.sampleRateHz
        session.sampleCount = sampleCount
        session.hasGyroscope = analysis.input.hasGyroscope
        session.readerInputJSON = String(decoding: try JSONEncoder().encode(readerInput), as: UTF8.self)
        try session.update(db)
        try storeAnalysis(analysis, sessionID: session.id!, in: db)
    }

    /// Replaces a session's steps and summary with `analysis`.
    static func storeAnalysis(_ analysis: GaitAnalysis, sessionID: SessionID, in db: Database) throws {
        try StepRecord.filter(Column("sessionId") == sessionID).deleteAll(db)
        for (index, step) in analysis.steps.enumerated() {
            try StepRecord(sessionId: sessionID, stepIndex: index, step: step).insert(db)
        }
        var document = analysis
        document.steps = []
        try SessionSummaryRecord(
            sessionId: sessionID, stepCount: analysis.summary.stepCount, cadenceSpm: analysis.summary.metrics?.cadenceSpm,
            primaryActivity: analysis.summary.primaryActivity?.rawValue,
            documentJSON: String(decoding: try document.jsonData(prettyPrinted: false), as: UTF8.self),
            analyzedAt: Date()
        ).save(db)
    }

    /// "1.2" from the header's BCD firmware version 0x0102.
    static func firmwareName(bcd: UInt16) -> String {
        String(bcd >> 8, radix: 16) + "." + String(bcd & 0xFF, radix: 16)
    }

    /// Runs an import, turning reader errors into `unreadableInput` naming the file.
    func importing<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SessionIOError {
            throw SessionStoreError.unreadableInput(path: path, reason: error.description)
        } catch let error as SessionStoreError {
            throw error
        } catch {
            throw SessionStoreError.database(operation: "importing \(path)", reason: "\(error)")
        }
    }
}

extension SQLiteSessionStore {
    /// Stores samples already in memory with their analysis (benchmarks and tests), idempotent by `contentHash`.
    func importSamples(_ samples: IMUBlock, name: String, contentHash: String, configuredRateHz: Double?,
                       readerInput: InputDescription, analysis: GaitAnalysis) throws -> (id: SessionID, inserted: Bool) {
        try importing(path: name) {
            try database.write { db -> (SessionID, Bool) in
                if let id = try Self.sessionID(contentHash: contentHash, in: db) { return (id, false) }
                var session = Self.newSession(source: .csv, path: name, contentHash: contentHash, configuredRateHz: configuredRateHz)
                try session.insert(db)
                var writer = RawChunkWriter(sessionID: session.id!)
                try writer.append(samples, in: db)
                try writer.finish(in: db)
                try Self.complete(&session, readerInput: readerInput, analysis: analysis, sampleCount: writer.sampleCount, in: db)
                return (session.id!, true)
            }
        }
    }
}
