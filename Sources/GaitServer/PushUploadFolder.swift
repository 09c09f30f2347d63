#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SessionIngest
import SessionStore

/// The partial uploads of sessions that runners' gaitd instances push, kept as files under the
/// server's upload folder (`clinic-uploads/`), never in the store: an upload is stored only whole,
/// through `SessionIngest`, once its bytes match their SHA-256.
///
/// Each upload is two files: `ID.json` (who sends what: written once, atomically) and `ID.data`
/// (the bytes received so far, appended chunk by chunk, each chunk only after its own SHA-256
/// matched). The id is derived from the device and the content's SHA-256, so a device that asks
/// again after a crash (its own or the server's) finds the same upload and its offset. A server
/// killed while appending leaves a prefix of the right bytes: the offset is the file's size.
/// One request at a time may write an upload; another gets `busy`.
actor PushUploadFolder {
    /// What an upload is, as written to `ID.json`.
    struct Upload: Codable, Sendable {
        var id: String
        var deviceID: Int64
        var runnerID: Int64
        /// SHA-256 (hex) and size in bytes of the whole file.
        var sha256: String
        var size: Int
        var manifest: PushManifest
        var createdUTCS: Double
    }

    /// Why a write to an upload was refused.
    enum Refusal: Error {
        case busy
        case offsetMismatch(received: Int)
        case beyondSize(size: Int)
        case cannotWrite(String)
    }

    /// Uploads untouched for longer than this are removed, seconds (design choice: a week offline).
    static let abandonedAfterS: Double = 7 * 24 * 3600

    let folder: String
    private var busy: Set<String> = []

    init(uploadDirectory: String?) {
        folder = (uploadDirectory ?? NSTemporaryDirectory()) + "/clinic-uploads"
    }

    /// The upload's id: the same for the same device and content.
    static func id(deviceID: Int64, sha256: String) -> String {
        String(ContentHash.of(Array("\(deviceID):\(sha256)".utf8)).prefix(32))
    }

    nonisolated func metadataPath(_ id: String) -> String { "\(folder)/\(id).json" }
    nonisolated func dataPath(_ id: String) -> String { "\(folder)/\(id).data" }

    /// The upload (creating it when new) and the bytes received so far.
    func open(deviceID: Int64, runnerID: Int64, sha256: String, size: Int, manifest: PushManifest, now: Date) throws -> (Upload, Int) {
        let id = Self.id(deviceID: deviceID, sha256: sha256)
        if let existing = upload(id) { return (existing, received(id)) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        removeAbandoned(now: now)
        let upload = Upload(id: id, deviceID: deviceID, runnerID: runnerID, sha256: sha256, size: size, manifest: manifest,
                            createdUTCS: now.timeIntervalSince1970)
        // The data file first, then the description by rename: an upload described exists whole.
        guard FileManager.default.createFile(atPath: dataPath(id), contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Refusal.cannotWrite("cannot create \(dataPath(id))")
        }
        let temporary = metadataPath(id) + ".tmp"
        try JSONEncoder().encode(upload).write(to: URL(fileURLWithPath: temporary), options: .atomic)
        guard rename(temporary, metadataPath(id)) == 0 else { throw Refusal.cannotWrite("cannot rename \(temporary)") }
        return (upload, 0)
    }

    /// The upload with this id, or nil.
    func upload(_ id: String) -> Upload? {
        guard id.count == 32, id.allSatisfy({ $0.isHexDigit }),
              let data = FileManager.default.contents(atPath: metadataPath(id)) else { return nil }
        return try? JSONDecoder().decode(Upload.self, from: data)
    }

    /// Bytes received so far.
    nonisolated func received(_ id: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: dataPath(id)))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Reserves the upload for one request's write; `release` ends it.
    func reserve(_ id: String) throws {
        guard busy.insert(id).inserted else { throw Refusal.busy }
    }

    func release(_ id: String) { busy.remove(id) }

    /// Appends a verified chunk at `offset` (which must be the bytes received so far) and makes
    /// it durable; returns the bytes received. The caller holds the reservation, and calls this
    /// off the cooperative pool (it blocks on write and fsync).
    nonisolated func append(_ id: String, size: Int, offset: Int, bytes: [UInt8]) throws -> Int {
        let have = received(id)
        guard offset == have else { throw Refusal.offsetMismatch(received: have) }
        guard have + bytes.count <= size else { throw Refusal.beyondSize(size: size) }
        let descriptor = Glibc.open(dataPath(id), O_WRONLY | O_APPEND)
        guard descriptor >= 0 else { throw Refusal.cannotWrite(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Refusal.cannotWrite(String(cString: strerror(errno)))
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw Refusal.cannotWrite(String(cString: strerror(errno))) }
        return have + bytes.count
    }

    /// Removes an upload's files (after it was stored, or when it cannot be).
    func remove(_ id: String) {
        unlink(dataPath(id))
        unlink(metadataPath(id))
    }

    /// Removes uploads nobody has touched for `abandonedAfterS`.
    private func removeAbandoned(now: Date) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            let modified = [metadataPath(id), dataPath(id)].compactMap {
                (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date
            }.max() ?? .distantPast
            if now.timeIntervalSince(modified) > Self.abandonedAfterS, !busy.contains(id) { remove(id) }
        }
    }
}
