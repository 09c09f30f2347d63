import Foundation

/// A folder of recordings to validate: each recording (`NAME.csv` or a clip's `NAME.bsession`)
/// with its reference sidecar `NAME.json`, and optionally `held-out.txt`.
public struct ValidationFolder: Sendable {
    /// The folder, as given.
    public var path: String
    /// Recordings whose sidecar holds ground truth, by name.
    public var recordings: [Recording]
    /// Recordings without ground truth (no sidecar, or a sidecar without reference contacts), by name.
    public var withoutReference: [UnreferencedRecording]
    /// The folder's held-out list, if it has one.
    public var heldOut: HeldOutList?

    /// A recording with its reference.
    public struct Recording: Sendable {
        /// The file stem.
        public var name: String
        /// The recording file.
        public var recordingPath: String
        /// The reference sidecar.
        public var reference: ValidationReference
    }

    /// A recording that is listed but not scored.
    public struct UnreferencedRecording: Sendable, Codable, Equatable {
        /// The file stem.
        public var name: String
        /// Why it is not scored.
        public var reason: String
    }

    /// File extensions of recordings, as `SessionFileAnalyzer` reads them.
    static let recordingExtensions = ["csv", "bsession"]

    /// Lists the folder and reads every reference in it.
    public static func scan(path: String) throws(GaitValidationError) -> ValidationFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let files = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw .folderMissing(path: path)
        }
        let folder = URL(fileURLWithPath: path)
        var recordings: [Recording] = [], without: [UnreferencedRecording] = []
        for file in files.sorted() {
            let url = folder.appendingPathComponent(file)
            guard recordingExtensions.contains(url.pathExtension) else { continue }
            let name = url.deletingPathExtension().lastPathComponent
            let referencePath = folder.appendingPathComponent(name + ".json").path
            guard FileManager.default.fileExists(atPath: referencePath) else {
                without.append(UnreferencedRecording(name: name, reason: "no \(name).json"))
                continue
            }
            let reference = try ValidationReference.load(path: referencePath)
            guard reference.hasGroundTruth else {
                without.append(UnreferencedRecording(name: name, reason: reference.reference?.kind ?? "no reference.initial_contacts in \(name).json"))
                continue
            }
            guard reference.reference?.walkingBouts != nil else {
                throw .malformedReference(file: referencePath, path: "reference.walking_bouts",
                                          problem: "missing (initial contacts are scored inside the reference bouts)")
            }
            recordings.append(Recording(name: name, recordingPath: url.path, reference: reference))
        }
        guard !recordings.isEmpty else {
            throw .noReferencedRecording(folder: path, withoutReference: without.map(\.name))
        }
        return ValidationFolder(path: path, recordings: recordings, withoutReference: without, heldOut: try HeldOutList.load(folder: path))
    }

    /// The first heading of the folder's README.md (what the data set is), if it has one.
    public var title: String? {
        let readme = URL(fileURLWithPath: path).appendingPathComponent("README.md").path
        guard let text = try? String(contentsOfFile: readme, encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }
    }
}
