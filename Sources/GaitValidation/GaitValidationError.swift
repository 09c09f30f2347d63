import SessionIO

/// Why a validation could not run; each case names the file or folder, and for a reference the
/// JSON path of the value that is wrong.
public enum GaitValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder does not exist or is not a folder.
    case folderMissing(path: String)
    /// The folder holds no recording (CSV or clip session) with a reference JSON beside it.
    case noReferencedRecording(folder: String, withoutReference: [String])
    /// A reference file is not valid JSON.
    case unreadableReference(file: String, reason: String)
    /// A value in a reference file is missing or has the wrong type; `path` is its JSON path,
    /// e.g. `reference.initial_contacts[3].t_s`.
    case malformedReference(file: String, path: String, problem: String)
    /// `held-out.txt` could not be read.
    case unreadableHeldOutList(file: String, reason: String)
    /// Only development recordings were asked for, and every recording with a reference is held out.
    case onlyHeldOutRecordings(folder: String)
    /// A recording could not be read or analysed (the error names the file, line and field).
    case analysisFailed(SessionIOError)

    /// One line for stderr, starting with the file or folder.
    public var description: String {
        switch self {
        case .folderMissing(let path):
            "\(path): no such folder"
        case .noReferencedRecording(let folder, let without):
            "\(folder): no recording with a reference JSON (a CSV or .bsession beside NAME.json with reference.initial_contacts)"
                + (without.isEmpty ? "" : "; without a reference: " + without.joined(separator: ", "))
        case .unreadableReference(let file, let reason):
            "\(file): not a readable reference JSON: \(reason)"
        case .malformedReference(let file, let path, let problem):
            "\(file): \(path): \(problem)"
        case .unreadableHeldOutList(let file, let reason):
            "\(file): cannot read the held-out list: \(reason)"
        case .onlyHeldOutRecordings(let folder):
            "\(folder): every recording with a reference is listed in held-out.txt; nothing to validate with --development-only"
        case .analysisFailed(let error):
            "\(error)"
        }
    }
}
