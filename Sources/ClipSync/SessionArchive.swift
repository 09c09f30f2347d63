#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ClipProtocol
import Foundation

/// What the archive knows of one stored clip session (the `.json` beside its bytes).
public struct StoredSession: Sendable, Codable, Equatable {
    /// The clip's serial.
    public var serial: String
    /// The session's id on that clip.
    public var sessionID: UInt32
    /// CRC-32C of the session's bytes, as the clip listed it and as verified.
    public var checksum: UInt32
    /// Size of the stored bytes.
    public var byteLength: Int
    /// Samples in the session's good blocks.
    public var sampleCount: Int
    /// Sampling rate, Hz.
    public var sampleRateHz: Double
    /// Start of the session, seconds since 1970 (UTC): the best known (`start`), else the clip's
    /// recorded start; nil when it cannot be known.
    public var startUTCSeconds: Double?
    /// The start as measured at sync against the host's clock (nil in records written before it was).
    public var start: SessionStartTime?
    /// Whether the session has gyroscope samples.
    public var hasGyroscope: Bool
    /// False when some blocks are bad (power loss while recording): their samples are absent.
    public var isComplete: Bool
    /// The bad blocks, by index, with the reason.
    public var badBlocks: [String]
    /// When this host stored it, seconds since 1970.
    public var storedAtSeconds: Double
    /// The session bytes' file name, inside the clip's folder.
    public var fileName: String

    /// A record (the synchronizer makes them; tests and tools may too).
    public init(serial: String, sessionID: UInt32, checksum: UInt32, byteLength: Int, sampleCount: Int, sampleRateHz: Double,
                startUTCSeconds: Double?, hasGyroscope: Bool, isComplete: Bool, badBlocks: [String], storedAtSeconds: Double,
                fileName: String, start: SessionStartTime? = nil) {
        self.serial = serial
        self.sessionID = sessionID
        self.checksum = checksum
        self.byteLength = byteLength
        self.sampleCount = sampleCount
        self.sampleRateHz = sampleRateHz
        self.startUTCSeconds = startUTCSeconds
        self.hasGyroscope = hasGyroscope
        self.isComplete = isComplete
        self.badBlocks = badBlocks
        self.storedAtSeconds = storedAtSeconds
        self.fileName = fileName
        self.start = start
    }
}

/// Verified clip sessions in a directory, one folder per clip:
/// `<root>/<serial>/<id>-<checksum>.bsession` (the bytes exactly as the clip sent them) and
/// `.json` (the record). A download in progress is `.partial`; it becomes `.bsession` only by a
/// rename after its bytes and record are on disk (fsync), so a crash never leaves a half session
/// that looks whole, and the clip is told to erase only after that rename.
public struct SessionArchive: Sendable {
    /// The archive's root directory.
    public let root: String

    /// Opens (creating if needed) the archive at `root`.
    public init(root: String) throws(ClipSyncError) {
        self.root = root
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .storage(path: root, reason: error.localizedDescription)
        }
    }

    /// The folder of a clip's sessions.
    public func folder(serial: String) -> String { root + "/" + Self.safeName(serial) }

    func baseName(_ id: UInt32, _ checksum: UInt32) -> String { "\(id)-" + String(format: "%08x", checksum) }

    /// Path of a stored session's bytes.
    public func sessionPath(serial: String, id: UInt32, checksum: UInt32) -> String {
        folder(serial: serial) + "/" + baseName(id, checksum) + ".bsession"
    }

    func recordPath(serial: String, id: UInt32, checksum: UInt32) -> String {
        folder(serial: serial) + "/" + baseName(id, checksum) + ".json"
    }

    func partialPath(serial: String, id: UInt32, checksum: UInt32) -> String {
        folder(serial: serial) + "/" + baseName(id, checksum) + ".partial"
    }

    /// The record of a session stored whole, or nil.
    public func stored(serial: String, id: UInt32, checksum: UInt32) -> StoredSession? {
        guard FileManager.default.fileExists(atPath: sessionPath(serial: serial, id: id, checksum: checksum)),
              let data = FileManager.default.contents(atPath: recordPath(serial: serial, id: id, checksum: checksum))
        else { return nil }
        return try? JSONDecoder().decode(StoredSession.self, from: data)
    }

    /// Every stored session, by clip then id.
    public func list() -> [StoredSession] {
        let clips = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var result: [StoredSession] = []
        for clip in clips.sorted() {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + clip)) ?? []
            for file in files where file.hasSuffix(".json") {
                guard let data = FileManager.default.contents(atPath: root + "/" + clip + "/" + file),
                      let record = try? JSONDecoder().decode(StoredSession.self, from: data),
                      FileManager.default.fileExists(atPath: root + "/" + clip + "/" + record.fileName)
                else { continue }
                result.append(record)
            }
        }
        return result.sorted { ($0.serial, $0.sessionID) < ($1.serial, $1.sessionID) }
    }

    /// The bytes of an interrupted download whose blocks verify, up to the first that does not
    /// (a crash may leave a torn tail); the partial file is cut back to that length.
    public func resumablePrefix(serial: String, id: UInt32, checksum: UInt32) -> [UInt8] {
        let path = partialPath(serial: serial, id: id, checksum: checksum)
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bytes = [UInt8](data)
        let blockSize = SessionHeader.blockSize
        var good = 0
        while good + blockSize <= bytes.count {
            let block = bytes[good..<(good + blockSize)]
            let stored = UInt32(block[block.startIndex + 508]) | UInt32(block[block.startIndex + 509]) << 8
                | UInt32(block[block.startIndex + 510]) << 16 | UInt32(block[block.startIndex + 511]) << 24
            guard CRC32C.checksum(block.prefix(508)) == stored else { break }
            good += blockSize
        }
        if good != bytes.count { truncate(path, off_t(good)) }
        return Array(bytes[0..<good])
    }

    /// Appends downloaded bytes to the session's partial file.
    public func appendPartial(_ bytes: [UInt8], serial: String, id: UInt32, checksum: UInt32) throws(ClipSyncError) {
        let directory = folder(serial: serial)
        let path = partialPath(serial: serial, id: id, checksum: checksum)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .storage(path: directory, reason: error.localizedDescription)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw .storage(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        try Self.writeAll(bytes, to: descriptor, path: path)
    }

    /// Replaces the partial file's contents (after re-reading bad blocks).
    public func rewritePartial(_ bytes: [UInt8], serial: String, id: UInt32, checksum: UInt32) throws(ClipSyncError) {
        let path = partialPath(serial: serial, id: id, checksum: checksum)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .storage(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        try Self.writeAll(bytes, to: descriptor, path: path)
    }

    /// Cuts the partial file back to `length` bytes (keeping only what verified).
    public func truncatePartial(serial: String, id: UInt32, checksum: UInt32, to length: Int) {
        truncate(partialPath(serial: serial, id: id, checksum: checksum), off_t(length))
    }

    /// Makes a downloaded and verified session durable: fsyncs the partial file, writes the
    /// record (temporary file, fsync, rename), renames the partial to `.bsession` and fsyncs
    /// the folder. Only after this returns may the clip be told to erase.
    public func commit(_ record: StoredSession) throws(ClipSyncError) {
        let serial = record.serial, id = record.sessionID, checksum = record.checksum
        let partial = partialPath(serial: serial, id: id, checksum: checksum)
        let final = sessionPath(serial: serial, id: id, checksum: checksum)
        try Self.fsyncFile(partial)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json: Data
        do { json = try encoder.encode(record) } catch { throw .storage(path: final, reason: "\(error)") }
        let recordPath = recordPath(serial: serial, id: id, checksum: checksum)
        let temporary = recordPath + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .storage(path: temporary, reason: String(cString: strerror(errno))) }
        do {
            try Self.writeAll([UInt8](json), to: descriptor, path: temporary)
        } catch {
            close(descriptor)
            throw error
        }
        guard fsync(descriptor) == 0 else {
            close(descriptor)
            throw .storage(path: temporary, reason: String(cString: strerror(errno)))
        }
        close(descriptor)
        guard rename(temporary, recordPath) == 0 else { throw .storage(path: recordPath, reason: String(cString: strerror(errno))) }
        // The record alone does not make a session stored: `stored(...)` needs the .bsession too.
        guard rename(partial, final) == 0 else { throw .storage(path: final, reason: String(cString: strerror(errno))) }
        try Self.fsyncFile(folder(serial: serial))
    }

    static func fsyncFile(_ path: String) throws(ClipSyncError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .storage(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .storage(path: path, reason: String(cString: strerror(errno))) }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ClipSyncError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .storage(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    /// A serial usable as a folder name (no path separators or dots at the start).
    static func safeName(_ serial: String) -> String {
        let cleaned = serial.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return cleaned.isEmpty ? "unknown" : String(cleaned)
    }
}
