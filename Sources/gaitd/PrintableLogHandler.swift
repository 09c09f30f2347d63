import Logging

/// A log handler that escapes control characters (escape sequences, carriage returns, newlines)
/// in messages and metadata before they reach the wrapped handler: log lines quote names from
/// outside (a clip's serial, a file dropped in the inbox, an error from a reader), and one of them
/// must not rewrite the operator's terminal or forge another log line.
struct PrintableLogHandler: LogHandler {
    var wrapped: any LogHandler

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(Self.printable(event.message.description))"
        event.metadata = event.metadata.map { $0.mapValues { .string(Self.printable($0.description)) } }
        wrapped.log(event: event)
    }

    /// `text` with control and format characters shown as `\u{…}`.
    static func printable(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
