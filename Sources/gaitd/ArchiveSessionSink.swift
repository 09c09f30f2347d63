#if canImport(Glibc)
import Glibc
#endif
import ClipProtocol
import ClipSync
import Foundation
import GaitDSP

/// A `SessionSink` made of files: clip sessions stay where `SessionArchive` committed them
/// (`<data>/sessions/<serial>/<id>-<checksum>.bsession`), imported files are copied to
/// `<data>/imports/<name>-<checksum>.csv`, and each session's analysis is
/// `<same base>.analysis.json` beside it (the `backstride.analysis/1` document), written to a
/// temporary file, fsynced and renamed, so it is either whole or absent. The configured runner
/// and shoe, when set, go in `<same base>.attribution.json`.
struct ArchiveSessionSink: SessionSink {
    let clipArchive: SessionArchive
    /// Where imported files are kept.
    let importsDirectory: String

    static let analysisSuffix = ".analysis.json"

    /// Opens (creating) the archive and imports folders under `dataDirectory`.
    init(dataDirectory: String) throws {
        clipArchive = try SessionArchive(root: dataDirectory + "/sessions")
        importsDirectory = dataDirectory + "/imports"
        try FileManager.default.createDirectory(atPath: importsDirectory, withIntermediateDirectories: true)
    }

    func storeClipSession(_ record: StoredSession, attribution: SessionAttribution) throws -> SinkSession {
        let session = Self.session(record, archive: clipArchive)
        try writeAttribution(attribution, for: session)
        return session
    }

    func storeFile(path: String, attribution: SessionAttribution) throws -> SinkSession {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw ArchiveSinkError.cannotRead(path: path, reason: error.localizedDescription)
        }
        let checksum = CRC32C.checksum(bytes)
        let name = (path as NSString).lastPathComponent
        let stem = Self.safeName((name as NSString).deletingPathExtension)
        let destination = importsDirectory + "/" + stem + "-" + String(format: "%08x", checksum) + ".csv"
        if !FileManager.default.fileExists(atPath: destination) {
            try Self.writeDurably(bytes, to: destination)
        }
        let session = SinkSession(origin: .file(name: name), checksum: checksum, dataPath: destination, startUTCSeconds: nil)
        try writeAttribution(attribution, for: session)
        return session
    }

    func storeAnalysis(_ analysis: GaitAnalysis, for session: SinkSession) throws {
        try Self.writeDurably([UInt8](try analysis.jsonData(prettyPrinted: true)), to: Self.analysisPath(session))
    }

    func hasAnalysis(_ session: SinkSession) -> Bool {
        FileManager.default.fileExists(atPath: Self.analysisPath(session))
    }

    func pendingSessions() throws -> [SinkSession] {
        var sessions = clipArchive.list()
            .sorted { ($0.startUTCSeconds ?? $0.storedAtSeconds) < ($1.startUTCSeconds ?? $1.storedAtSeconds) }
            .map { Self.session($0, archive: clipArchive) }
        let imports = (try? FileManager.default.contentsOfDirectory(atPath: importsDirectory)) ?? []
        for file in imports.sorted() where file.hasSuffix(".csv") {
            let base = String(file.dropLast(4))
            guard let dash = base.lastIndex(of: "-"), let checksum = UInt32(base[base.index(after: dash)...], radix: 16) else { continue }
            sessions.append(SinkSession(origin: .file(name: String(base[..<dash]) + ".csv"), checksum: checksum,
                                        dataPath: importsDirectory + "/" + file, startUTCSeconds: nil))
        }
        return sessions.filter { !hasAnalysis($0) }
    }

    static func session(_ record: StoredSession, archive: SessionArchive) -> SinkSession {
        SinkSession(origin: .clip(serial: record.serial, sessionID: record.sessionID), checksum: record.checksum,
                    dataPath: archive.sessionPath(serial: record.serial, id: record.sessionID, checksum: record.checksum),
                    startUTCSeconds: record.startUTCSeconds)
    }

    /// `<base>.analysis.json` beside the session's data.
    static func analysisPath(_ session: SinkSession) -> String {
        (session.dataPath as NSString).deletingPathExtension + analysisSuffix
    }

    func writeAttribution(_ attribution: SessionAttribution, for session: SinkSession) throws {
        guard !attribution.isEmpty else { return }
        let path = (session.dataPath as NSString).deletingPathExtension + ".attribution.json"
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Self.writeDurably([UInt8](try encoder.encode(attribution)), to: path)
    }

    /// Writes `bytes` to a temporary file beside `path`, fsyncs it, renames it over `path` and
    /// fsyncs the folder: after a crash the file is either whole or absent.
    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw ArchiveSinkError.cannotWrite(path: temporary, reason: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw ArchiveSinkError.cannotWrite(path: temporary, reason: reason)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ArchiveSinkError.cannotWrite(path: temporary, reason: reason)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw ArchiveSinkError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// A file name's stem usable in the store (no separators, no leading dot).
    static func safeName(_ name: String) -> String {
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        let trimmed = cleaned.drop { $0 == "." }
        return trimmed.isEmpty ? "session" : String(trimmed)
    }
}

/// Why the file sink could not read or write.
enum ArchiveSinkError: Error, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case let .cannotRead(path, reason): "cannot read \(path): \(reason)"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        }
    }
}
