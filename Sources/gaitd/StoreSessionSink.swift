import ClipProtocol
import ClipSync
import Foundation
import GaitDSP
import GRDB
import SessionStore

/// A `SessionSink` backed by the SQLite session store (`<data>/backstride.sqlite`).
///
/// Clip sessions are still downloaded into `<data>/sessions` (`ClipSynchronizer` needs the
/// archive's partial files and rename protocol, and acknowledges only after the archive commit);
/// their analysis is stored with `importClipSession(serial:firmware:clipSessionID:path:analysis:)`,
/// which inserts the raw samples, steps and summary in one transaction. Inbox files are stored
/// with `importFile(path:)` (the store analyses them itself while storing them). A session is
/// "analysed" when the store has it: a clip session by serial + session id, a file by its SHA-256.
/// `pendingSessions()` lists archived clip sessions the store does not have yet (a crash between
/// the archive commit and the insert).
///
/// The `SessionStore` API has no runner or shoe yet, so the configured defaults stay in
/// `.attribution.json` files as with the file sink: beside the `.bsession` for clip sessions,
/// `<data>/imports/<name>-<crc32c>.attribution.json` for imported files.
struct StoreSessionSink: SessionSink {
    let clipArchive: SessionArchive
    let store: SQLiteSessionStore
    /// Where imported files' attribution is kept.
    let importsDirectory: String

    static let databaseName = "backstride.sqlite"

    /// Opens (creating) the archive under `<dataDirectory>/sessions` and the store at
    /// `<dataDirectory>/backstride.sqlite`.
    init(dataDirectory: String) throws {
        clipArchive = try SessionArchive(root: dataDirectory + "/sessions")
        store = try SQLiteSessionStore(path: dataDirectory + "/" + Self.databaseName)
        importsDirectory = dataDirectory + "/imports"
    }

    func storeClipSession(_ record: StoredSession, attribution: SessionAttribution) throws -> SinkSession {
        let session = ArchiveSessionSink.session(record, archive: clipArchive)
        try Self.writeAttribution(attribution, to: (session.dataPath as NSString).deletingPathExtension + ".attribution.json")
        return session
    }

    func storeFile(path: String, attribution: SessionAttribution) throws -> SinkSession {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw ArchiveSinkError.cannotRead(path: path, reason: error.localizedDescription)
        }
        let checksum = CRC32C.checksum(bytes)
        let name = (path as NSString).lastPathComponent
        if !attribution.isEmpty {
            let stem = ArchiveSessionSink.safeName((name as NSString).deletingPathExtension)
            try FileManager.default.createDirectory(atPath: importsDirectory, withIntermediateDirectories: true)
            try Self.writeAttribution(attribution, to: importsDirectory + "/" + stem + "-" + String(format: "%08x", checksum) + ".attribution.json")
        }
        // The file itself is read by `storeAnalysis` (the store keeps its samples): the inbox
        // moves it away only after that.
        return SinkSession(origin: .file(name: name), checksum: checksum, dataPath: path, startUTCSeconds: nil)
    }

    func storeAnalysis(_ analysis: GaitAnalysis, for session: SinkSession) throws {
        let id: SessionID
        switch session.origin {
        case let .clip(serial, sessionID):
            id = try store.importClipSession(serial: serial, firmware: nil, clipSessionID: sessionID, path: session.dataPath,
                                             analysis: analysis)
        case .file:
            // `importFile` analyses the samples itself (same engine and configuration) in its transaction.
            id = try store.importFile(path: session.dataPath).id
        }
        // Flags are derived from the stored session and can be recomputed any time (`gait reanalyze`):
        // failing to compute them must not report the safely stored session as failed.
        _ = try? store.inferFlags(sessionID: id)
    }

    func hasAnalysis(_ session: SinkSession) -> Bool {
        do {
            switch session.origin {
            case let .clip(serial, sessionID):
                return try store.database.read { db in
                    try Bool.fetchOne(db, sql: """
                        SELECT EXISTS (SELECT 1 FROM session s JOIN clip c ON c.id = s.clipId
                                       JOIN sessionSummary m ON m.sessionId = s.id
                                       WHERE c.serial = ? AND s.clipSessionId = ?)
                        """, arguments: [serial, Int64(sessionID)]) ?? false
                }
            case .file:
                let hash = try ContentHash.ofFile(path: session.dataPath)
                return try store.database.read { db in
                    try Bool.fetchOne(db, sql: """
                        SELECT EXISTS (SELECT 1 FROM session s JOIN sessionSummary m ON m.sessionId = s.id
                                       WHERE s.contentHash = ?)
                        """, arguments: [hash]) ?? false
                }
            }
        } catch {
            return false
        }
    }

    func pendingSessions() throws -> [SinkSession] {
        let stored: Set<String> = try store.database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.serial, s.clipSessionId FROM session s JOIN clip c ON c.id = s.clipId
                JOIN sessionSummary m ON m.sessionId = s.id WHERE s.clipSessionId IS NOT NULL
                """)
            return Set(rows.map { row -> String in
                let serial: String = row[0]
                let id: Int64 = row[1]
                return Self.key(serial: serial, sessionID: id)
            })
        }
        return clipArchive.list()
            .filter { !stored.contains(Self.key(serial: $0.serial, sessionID: Int64($0.sessionID))) }
            .sorted { ($0.startUTCSeconds ?? $0.storedAtSeconds) < ($1.startUTCSeconds ?? $1.storedAtSeconds) }
            .map { ArchiveSessionSink.session($0, archive: clipArchive) }
    }

    static func key(serial: String, sessionID: Int64) -> String { serial + "\u{0}" + String(sessionID) }

    /// Writes the attribution JSON durably unless it is empty or already written.
    static func writeAttribution(_ attribution: SessionAttribution, to path: String) throws {
        guard !attribution.isEmpty, !FileManager.default.fileExists(atPath: path) else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try ArchiveSessionSink.writeDurably([UInt8](try encoder.encode(attribution)), to: path)
    }
}
