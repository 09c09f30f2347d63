import ClipProtocol
import Foundation

/// Why a clip's archive folder is not as a finished sync must leave it.
public enum ArchiveProblem: Error, CustomStringConvertible {
    /// A `.bsession` file without its record, with a malformed name, or whose bytes fail the checksum in its name.
    case notWhole(file: String)
    /// Two `.bsession` files for the same clip session id.
    case duplicated(file: String)

    public var description: String {
        switch self {
        case .notWhole(let file): "\(file) is not a whole session (record missing, bad name or checksum mismatch)"
        case .duplicated(let file): "\(file) stores a session id that is already stored"
        }
    }
}

/// Checks a clip's archive folder: every `ID-CHECKSUM.bsession` has its `.json` record and
/// verifies against the checksum in its name, and no id is stored twice; returns the stored
/// sessions' bytes by id (empty when the folder does not exist).
public func verifiedArchive(_ folder: String) throws -> [UInt32: [UInt8]] {
    var result: [UInt32: [UInt8]] = [:]
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for file in files where file.hasSuffix(".bsession") {
        let base = String(file.dropLast(".bsession".count))
        let parts = base.split(separator: "-")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
        guard parts.count == 2, let id = UInt32(parts[0]), let checksum = UInt32(parts[1], radix: 16),
              FileManager.default.fileExists(atPath: folder + "/" + base + ".json"),
              SessionChecksum.compute(bytes) == checksum else {
            throw ArchiveProblem.notWhole(file: file)
        }
        guard result[id] == nil else { throw ArchiveProblem.duplicated(file: file) }
        result[id] = bytes
    }
    return result
}
