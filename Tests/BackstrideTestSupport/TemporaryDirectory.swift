import Foundation

/// Creates a fresh, empty folder under the system's temporary directory and returns its path.
/// `prefix` names the folder's owner, so a folder left behind says which tests wrote it.
public func temporaryDirectory(prefix: String = "backstride-test") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
