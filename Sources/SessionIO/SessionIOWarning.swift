/// Something odd in an input file that the reader worked around; shown to the user, never fatal.
public enum SessionIOWarning: Sendable, Equatable, CustomStringConvertible {
    /// The last line was cut short (a recording stopped mid-write) and was dropped; `reason` says how.
    case truncatedLastLine(path: String, line: Int, reason: String)
    /// The file may hold acceleration with gravity removed; `advice` names the file to use instead.
    case gravityMayBeMissing(path: String, advice: String)
    /// A `# key=value` property the reader understands had a value it cannot use; it was ignored.
    case ignoredProperty(path: String, key: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .truncatedLastLine(let path, let line, let reason):
            return "\(path):\(line): last line is truncated and was dropped (\(reason))"
        case .gravityMayBeMissing(let path, let advice):
            return "\(path): acceleration may have gravity removed; \(advice)"
        case .ignoredProperty(let path, let key, let value, let reason):
            return "\(path): '# \(key)=\(value)' ignored: \(reason)"
        }
    }
}
