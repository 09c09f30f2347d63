#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// gaitd's pairing with a clinic: its URL and the device token, kept in `clinic.json` in gaitd's
/// data folder, readable by its owner only (0600): the token lets anyone push as this runner.
public struct ClinicPairing: Codable, Sendable, Equatable {
    /// The clinic's base URL.
    public var clinicURL: String
    /// The device token (`bsd_…`): the clinic stores only its hash.
    public var deviceToken: String
    /// The clinic's id for this device (revoked from the runner's page by it).
    public var deviceID: Int64
    /// The clinic's id of the runner whose sessions go there.
    public var runnerID: Int64
    /// The name this device gave itself.
    public var deviceName: String
    /// When it paired, UTC seconds since 1970.
    public var pairedUTCS: Double

    enum CodingKeys: String, CodingKey {
        case clinicURL = "clinic_url", deviceToken = "device_token", deviceID = "device_id", runnerID = "runner_id"
        case deviceName = "device_name", pairedUTCS = "paired_utc_s"
    }

    public init(clinicURL: String, deviceToken: String, deviceID: Int64, runnerID: Int64, deviceName: String, pairedUTCS: Double) {
        self.clinicURL = clinicURL
        self.deviceToken = deviceToken
        self.deviceID = deviceID
        self.runnerID = runnerID
        self.deviceName = deviceName
        self.pairedUTCS = pairedUTCS
    }

    /// The pairing file in gaitd's data folder.
    public static func path(dataDirectory: String) -> String { dataDirectory + "/clinic.json" }

    /// The pairing at `path`, or nil when there is none; a file others may read is refused.
    public static func load(path: String) throws(ClinicPushError) -> ClinicPairing? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else { throw .pairingFile(path: path, reason: String(cString: strerror(errno))) }
        if status.st_mode & 0o077 != 0 {
            throw .pairingFile(path: path, reason: "others may read it (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it, or pair again")
        }
        do {
            return try JSONDecoder().decode(ClinicPairing.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .pairingFile(path: path, reason: "not a pairing file: \(error)")
        }
    }

    /// Writes the pairing to `path` (mode 0600 from the start, then renamed into place).
    public func save(path: String) throws(ClinicPushError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp"
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(self)
            unlink(temporary)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw ClinicPushError.pairingFile(path: temporary, reason: String(cString: strerror(errno))) }
            let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
            let synced = fsync(descriptor)
            close(descriptor)
            guard written == data.count, synced == 0 else { throw ClinicPushError.pairingFile(path: temporary, reason: "cannot write it") }
            guard rename(temporary, path) == 0 else { throw ClinicPushError.pairingFile(path: path, reason: String(cString: strerror(errno))) }
        } catch let error as ClinicPushError {
            throw error
        } catch {
            throw .pairingFile(path: path, reason: "\(error)")
        }
    }

    /// Removes the pairing file; false when there was none.
    @discardableResult
    public static func remove(path: String) -> Bool { unlink(path) == 0 }
}
