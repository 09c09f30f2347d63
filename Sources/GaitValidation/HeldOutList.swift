import Foundation

/// The recordings a folder keeps out of development: `held-out.txt` in the folder, one recording
/// name (file stem) per line; `#` starts a comment, blank lines are skipped.
///
/// Held-out recordings are never looked at while tuning; their figures are reported apart from
/// the development figures, so a reader can see how much tuning flattered the latter.
public struct HeldOutList: Sendable, Equatable {
    /// The file name looked for in a validation folder.
    public static let fileName = "held-out.txt"

    /// The held-out recording names, in file order.
    public var names: [String]

    /// Parses the text of a held-out list.
    public init(text: String) {
        names = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).compactMap { line in
            let name = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
    }

    /// The list in `folder`, or nil when the folder has none.
    public static func load(folder: String) throws(GaitValidationError) -> HeldOutList? {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return HeldOutList(text: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw .unreadableHeldOutList(file: path, reason: error.localizedDescription)
        }
    }

    /// Whether `name` is held out.
    public func contains(_ name: String) -> Bool { names.contains(name) }
}
