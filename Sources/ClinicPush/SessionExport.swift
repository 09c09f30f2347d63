import Foundation
import GaitDSP
import SessionIngest
import SessionIO
import SessionStore

/// A stored session written out for the clinic: its raw samples as a canonical CSV (the same
/// bytes every time, so its SHA-256 names it across retries and restarts) and its manifest.
public struct SessionExport: Sendable {
    /// The CSV file written.
    public let path: String
    /// Its SHA-256 (hex) and size, bytes.
    public let sha256: String
    public let size: Int
    /// What goes with it.
    public let manifest: PushManifest
    /// The id of the session's newest pain entry when it was written out (nil: none).
    public let painLogMaxID: Int64?

    /// Writes session `id` of `store` to `folder/ID.csv` (replacing an earlier copy).
    public static func write(sessionID id: SessionID, store: some SessionStore, folder: String) throws(ClinicPushError) -> SessionExport {
        do {
            guard let session = try store.session(id: id) else { throw ClinicPushError.export(sessionID: id, reason: "no such session") }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = "\(folder)/\(id).csv"
            let writer = try CanonicalCSVWriter(path: path, hasGyro: session.hasGyroscope,
                                                sampleRateHz: session.configuredSampleRateHz ?? session.sampleRateHz)
            var reader = try store.rawSamples(id: id)
            while let block = try reader.next() { try writer.write(block) }
            try writer.finish()
            let hash = try ContentHash.ofFile(path: path)
            let size = ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.intValue ?? 0
            let painLogMaxID = try store.painLog(sessionID: id).compactMap(\.id).max()
            return SessionExport(path: path, sha256: hash, size: size, manifest: try manifest(session, store: store, exportHash: hash),
                                 painLogMaxID: painLogMaxID)
        } catch let error as ClinicPushError {
            throw error
        } catch {
            throw .export(sessionID: id, reason: "\(error)")
        }
    }

    /// The manifest of a stored session: its identity (the original file's content hash; the
    /// export's for a session stored without one), start, origin and the runner's pain entries
    /// (a physiotherapist's own notes stay where they were written).
    static func manifest(_ session: SessionRecord, store: some SessionStore, exportHash: String) throws -> PushManifest {
        let id = session.id!
        var serial: String?
        if let clipID = session.clipId { serial = try store.clips(runnerID: nil).first { $0.id == clipID }?.serial }
        let sourceName: String?
        if let serial, let clipSession = session.clipSessionId {
            sourceName = "clip \(serial) session \(clipSession)"
        } else {
            sourceName = session.sourcePath.map { String($0.split(separator: "/").last ?? Substring($0)) }
        }
        let authors = Dictionary(try store.accounts().compactMap { account in account.id.map { ($0, account.role) } }, uniquingKeysWith: { a, _ in a })
        let pain = try store.painLog(sessionID: id)
            .filter { entry in entry.authorAccountId.map { authors[$0] == .runner } ?? true }
            .map(PushManifest.PainEntry.init)
        let hash = session.contentHash.flatMap { PushManifest.isSHA256($0) ? $0 : nil } ?? exportHash
        return PushManifest(contentHash: hash, sourceName: sourceName.map { String($0.prefix(200)) }, startedUTCS: session.startedAt?.timeIntervalSince1970,
                            timeZone: session.timeZone, source: session.source.rawValue, clipSerial: serial,
                            clipSessionID: session.clipSessionId, distanceKm: session.distanceKm, pain: pain,
                            watchSpeed: try store.sessionSpeed(sessionID: id))
    }
}
