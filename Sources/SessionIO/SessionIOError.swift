/// An error reading or writing a session file, carrying the file path and, where it applies, the
/// 1-based line number (comment and preamble lines count), the column the problem is in, or the
/// 0-based byte offset in the file (binary watch files, and XML, where lines can be very long).
///
/// `description` reads like a compiler diagnostic: `data.csv:17: field 'ay_g': 'abc' is not a number`,
/// `run.fit: byte 1234: malformed FIT file: expected …`.
public enum SessionIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened; `reason` is the system's explanation.
    case cannotOpen(path: String, reason: String)
    /// Reading the file failed part-way; `reason` is the system's explanation.
    case readFailed(path: String, reason: String)
    /// The file holds no bytes, or only whitespace.
    case emptyFile(path: String)
    /// The file ends after its comment lines, before any header.
    case noHeader(path: String)
    /// The line holds NUL bytes or invalid UTF-8: the file is not a text CSV.
    case binaryData(path: String, line: Int)
    /// The line is longer than the reader accepts; nothing we read has lines anywhere near this long.
    case lineTooLong(path: String, line: Int, limitBytes: Int)
    /// The header matches none of the dialects we read; `description` lists the accepted headers.
    case unrecognisedHeader(path: String, line: Int, header: String)
    /// The export has gravity removed ("linear acceleration"), which the step detector needs.
    case gravityRemoved(path: String, line: Int, advice: String)
    /// The export holds only gyroscope columns; the analysis needs the accelerometer.
    case gyroscopeOnly(path: String, line: Int, advice: String)
    /// A column the dialect requires is not in the header.
    case missingColumn(path: String, line: Int, column: String)
    /// The file has a header but no samples.
    case noSamples(path: String)
    /// A field is not a decimal number.
    case notANumber(path: String, line: Int, column: String, text: String)
    /// A field is NaN, infinite, or too large for the sample type.
    case nonFinite(path: String, line: Int, column: String, text: String)
    /// A timestamp field does not have the expected `YYYY-MM-DD hh:mm:ss:mmm` form.
    case invalidTimestamp(path: String, line: Int, column: String, text: String)
    /// A row ends before the required column `column`.
    case tooFewFields(path: String, line: Int, column: String, expected: Int, found: Int)
    /// A sample's time is earlier than the previous sample's, in seconds on the file's clock.
    case timeWentBackwards(path: String, line: Int, column: String, previousS: Double, timeS: Double)
    /// A sample's time is not a finite number, or lies further than `SessionTimeLimits.maximumSessionSpanS`
    /// from the first sample's (`firstS`, NaN when this is the first sample), seconds on the file's clock.
    case timeOutOfSpan(path: String, line: Int, column: String, firstS: Double, timeS: Double)
    /// A clip session's block is dated outside the session: not a finite time, or further than
    /// `SessionTimeLimits.maximumSessionSpanS` from the session's start (`offsetS`, seconds).
    case blockTimeOutOfSpan(path: String, block: Int, offsetS: Double)
    /// A clip session without a single valid sample: no data block, or only bad ones (zero-filled,
    /// damaged, foreign). `dataBlocksRead` of the file's `dataBlocksInFile` were read (fewer when
    /// it was refused early); `badBlocks` names the first of them. Never stored.
    case emptyClipSession(path: String, dataBlocksRead: Int, dataBlocksInFile: Int, badBlocks: String?)
    /// Reading was stopped before the end because the caller asked (a daemon shutting down);
    /// nothing of the file was used.
    case cancelled(path: String)
    /// A sample cannot be written (NaN, infinite, or beyond the fixed-point range of the format).
    case unwritableValue(path: String, sampleIndex: Int, column: String, value: Double)
    /// Writing failed; `reason` is the system's explanation or the inconsistency found.
    case writeFailed(path: String, reason: String)
    /// The file is larger than the reader accepts for its kind.
    case fileTooLarge(path: String, sizeBytes: Int, limitBytes: Int)
    /// The file is none of the watch formats (FIT, GPX, TCX); `reason` says what it looks like.
    case notAWatchFile(path: String, reason: String)
    /// A FIT file breaks the protocol at byte `offset` (0-based); `expected` says what the decoder
    /// needed there and what it found.
    case malformedFIT(path: String, offset: Int, expected: String)
    /// A FIT checksum (`region`: "header" or "file") stored at byte `offset` does not match the bytes.
    case fitChecksumMismatch(path: String, offset: Int, region: String, stored: UInt16, computed: UInt16)
    /// A GPX or TCX file is not well-formed XML at 1-based `line`, 0-based byte `offset`.
    case malformedXML(path: String, line: Int, offset: Int, reason: String)
    /// A GPX or TCX value (element text or attribute) is not what its format allows.
    case invalidWatchValue(path: String, line: Int, offset: Int, field: String, text: String, expected: String)
    /// The watch file holds no track point with a time.
    case noTrackPoints(path: String, format: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .readFailed(let path, _), .emptyFile(let path), .noHeader(let path),
             .binaryData(let path, _), .lineTooLong(let path, _, _), .unrecognisedHeader(let path, _, _),
             .gravityRemoved(let path, _, _), .gyroscopeOnly(let path, _, _), .missingColumn(let path, _, _),
             .noSamples(let path), .notANumber(let path, _, _, _), .nonFinite(let path, _, _, _),
             .invalidTimestamp(let path, _, _, _), .tooFewFields(let path, _, _, _, _),
             .timeWentBackwards(let path, _, _, _, _), .unwritableValue(let path, _, _, _),
             .timeOutOfSpan(let path, _, _, _, _), .blockTimeOutOfSpan(let path, _, _), .cancelled(let path),
             .emptyClipSession(let path, _, _, _),
             .writeFailed(let path, _), .fileTooLarge(let path, _, _), .notAWatchFile(let path, _),
             .malformedFIT(let path, _, _), .fitChecksumMismatch(let path, _, _, _, _),
             .malformedXML(let path, _, _, _), .invalidWatchValue(let path, _, _, _, _, _),
             .noTrackPoints(let path, _):
            return path
        }
    }

    /// The 1-based line the error is on, when it is about one line.
    public var line: Int? {
        switch self {
        case .binaryData(_, let line), .lineTooLong(_, let line, _), .unrecognisedHeader(_, let line, _),
             .gravityRemoved(_, let line, _), .gyroscopeOnly(_, let line, _), .missingColumn(_, let line, _),
             .notANumber(_, let line, _, _), .nonFinite(_, let line, _, _), .invalidTimestamp(_, let line, _, _),
             .tooFewFields(_, let line, _, _, _), .timeWentBackwards(_, let line, _, _, _),
             .timeOutOfSpan(_, let line, _, _, _),
             .malformedXML(_, let line, _, _), .invalidWatchValue(_, let line, _, _, _, _):
            return line
        case .cannotOpen, .readFailed, .emptyFile, .noHeader, .noSamples, .unwritableValue, .writeFailed,
             .fileTooLarge, .notAWatchFile, .malformedFIT, .fitChecksumMismatch, .noTrackPoints, .blockTimeOutOfSpan, .cancelled,
             .emptyClipSession:
            return nil
        }
    }

    /// The 0-based byte offset in the file the error is at, when there is one.
    public var byteOffset: Int? {
        switch self {
        case .malformedFIT(_, let offset, _), .fitChecksumMismatch(_, let offset, _, _, _),
             .malformedXML(_, _, let offset, _), .invalidWatchValue(_, _, let offset, _, _, _):
            return offset
        default:
            return nil
        }
    }

    /// The column (header name) the error is about, when there is one.
    public var column: String? {
        switch self {
        case .missingColumn(_, _, let column), .notANumber(_, _, let column, _), .nonFinite(_, _, let column, _),
             .invalidTimestamp(_, _, let column, _), .tooFewFields(_, _, let column, _, _),
             .timeWentBackwards(_, _, let column, _, _), .unwritableValue(_, _, let column, _),
             .timeOutOfSpan(_, _, let column, _, _):
            return column
        default:
            return nil
        }
    }

    /// The headers the reader accepts, one line each, for error messages and `--help` text.
    public static let acceptedHeaders: [String] = [
        "canonical: t_s,ax_g,ay_g,az_g[,gx_dps,gy_dps,gz_dps] (any order; ax_mps2,ay_mps2,az_mps2 for m/s^2; '#' comments first)",
        "phyphox 'Acceleration with g': \"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y (m/s^2)\",\"Acceleration z (m/s^2)\"",
        "Sensor Logger TotalAcceleration.csv: time,seconds_elapsed,z,y,x",
        "MetaWear/MetaBase: epoch (ms),time (-00:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)",
        "GENEActiv CSV: preamble starting 'Device Type,GENEActiv', then rows 'YYYY-MM-DD hh:mm:ss:mmm,x,y,z,...'",
    ]

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open: \(reason)"
        case .readFailed(let path, let reason):
            return "\(path): read failed: \(reason)"
        case .emptyFile(let path):
            return "\(path): the file is empty"
        case .noHeader(let path):
            return "\(path): the file ends before a header line"
        case .binaryData(let path, let line):
            return "\(path):\(line): binary data (NUL bytes or invalid UTF-8); this is not a CSV text file"
        case .lineTooLong(let path, let line, let limitBytes):
            return "\(path):\(line): line longer than \(limitBytes) bytes; this is not a sensor CSV"
        case .unrecognisedHeader(let path, let line, let header):
            let accepted = Self.acceptedHeaders.map { "  " + $0 }.joined(separator: "\n")
            return "\(path):\(line): unrecognised header '\(header)'; accepted headers:\n\(accepted)"
        case .gravityRemoved(let path, let line, let advice):
            return "\(path):\(line): this export has gravity removed (linear acceleration); \(advice)"
        case .gyroscopeOnly(let path, let line, let advice):
            return "\(path):\(line): this export holds only gyroscope data; \(advice)"
        case .missingColumn(let path, let line, let column):
            return "\(path):\(line): required column '\(column)' is missing from the header"
        case .noSamples(let path):
            return "\(path): no samples after the header"
        case .notANumber(let path, let line, let column, let text):
            return "\(path):\(line): field '\(column)': '\(text)' is not a number"
        case .nonFinite(let path, let line, let column, let text):
            return "\(path):\(line): field '\(column)': '\(text)' is not a finite number in range"
        case .invalidTimestamp(let path, let line, let column, let text):
            return "\(path):\(line): field '\(column)': '\(text)' is not a timestamp like 2019-08-06 10:25:50:000"
        case .tooFewFields(let path, let line, let column, let expected, let found):
            return "\(path):\(line): field '\(column)' is missing (expected at least \(expected) fields, found \(found))"
        case .timeWentBackwards(let path, let line, let column, let previousS, let timeS):
            return "\(path):\(line): field '\(column)': time goes backwards from \(previousS) s to \(timeS) s"
        case .timeOutOfSpan(let path, let line, let column, let firstS, let timeS):
            let limit = SessionTimeLimits.maximumSessionSpanText
            guard timeS.isFinite else {
                return "\(path):\(line): field '\(column)': time \(timeS) s is not a finite number"
            }
            return "\(path):\(line): field '\(column)': time \(timeS) s is \(Self.span(timeS - firstS)) from the first sample's (\(firstS) s); a session may span at most \(limit) (a mistyped or corrupted time?)"
        case .blockTimeOutOfSpan(let path, let block, let offsetS):
            let limit = SessionTimeLimits.maximumSessionSpanText
            guard offsetS.isFinite else { return "\(path): block \(block): its time is not a finite number" }
            return "\(path): block \(block): dated \(Self.span(offsetS)) from the session's start; a session may span at most \(limit) (a corrupted clip clock?)"
        case .emptyClipSession(let path, let read, let inFile, let badBlocks):
            guard inFile > 0 else { return "\(path): empty clip session: the header is followed by no data block" }
            let which = badBlocks.map { " (\($0))" } ?? ""
            if read < inFile { return "\(path): empty clip session: its first \(read) of \(inFile) data blocks hold no valid sample\(which); the rest was not read" }
            if inFile == 1 { return "\(path): empty clip session: its one data block holds no valid sample\(which)" }
            return "\(path): empty clip session: none of its \(inFile) data blocks holds a valid sample\(which)"
        case .cancelled(let path):
            return "\(path): reading stopped before the end (shutdown); nothing of it was used"
        case .unwritableValue(let path, let sampleIndex, let column, let value):
            return "\(path): sample \(sampleIndex), column '\(column)': cannot write \(value)"
        case .writeFailed(let path, let reason):
            return "\(path): write failed: \(reason)"
        case .fileTooLarge(let path, let sizeBytes, let limitBytes):
            return "\(path): \(sizeBytes) bytes is more than the \(limitBytes) bytes accepted for this kind of file"
        case .notAWatchFile(let path, let reason):
            return "\(path): not a watch file (FIT, GPX or TCX): \(reason)"
        case .malformedFIT(let path, let offset, let expected):
            return "\(path): byte \(offset): malformed FIT file: expected \(expected)"
        case .fitChecksumMismatch(let path, let offset, let region, let stored, let computed):
            return "\(path): byte \(offset): FIT \(region) CRC is \(Self.hex(stored)) but the bytes give \(Self.hex(computed)); the file is damaged"
        case .malformedXML(let path, let line, let offset, let reason):
            return "\(path):\(line): byte \(offset): malformed XML: \(reason)"
        case .invalidWatchValue(let path, let line, let offset, let field, let text, let expected):
            return "\(path):\(line): byte \(offset): '\(field)': '\(text)' is not \(expected)"
        case .noTrackPoints(let path, let format):
            return "\(path): no track points with a time in this \(format) file"
        }
    }

    /// A time span in words with its sign: `+11574074 days`, `-3 h`, `+42 s`, `+more than a billion days`.
    static func span(_ seconds: Double) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let size = abs(seconds)
        if size >= 1e9 * 86_400 { return sign + "more than a billion days" }
        if size >= 86_400 { return sign + String(Int64((size / 86_400).rounded())) + " days" }
        if size >= 3_600 { return sign + String(Int((size / 3_600).rounded())) + " h" }
        return sign + String(Int(size.rounded())) + " s"
    }

    /// `0x1A2B`: a checksum as the FIT SDK's tools print it.
    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
