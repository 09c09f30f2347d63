#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a runner's watch file (FIT, GPX or TCX), recognised from its content, into a `WatchTrack`.
///
/// The whole file is read into memory (a 24-hour FIT at 1 Hz is a few megabytes); every reader
/// bounds its work and memory by the file's size. A damaged or foreign file is a `SessionIOError`
/// naming the byte offset (FIT) or the line and byte offset (XML).
public enum WatchFileReader {
    /// The largest file read (design choice: 100 times a 24-hour GPX at 1 Hz).
    public static let maximumFileBytes = 256 << 20

    /// Reads and decodes the file at `path`.
    public static func read(path: String) throws(SessionIOError) -> WatchTrack {
        try read(bytes: try contents(of: path), name: path)
    }

    /// Decodes a watch file held in memory; `name` stands for the path in the track and errors.
    public static func read(bytes: [UInt8], name: String) throws(SessionIOError) -> WatchTrack {
        guard bytes.count <= maximumFileBytes else {
            throw .fileTooLarge(path: name, sizeBytes: bytes.count, limitBytes: maximumFileBytes)
        }
        let format: WatchTrack.Format
        let content: WatchFileContent
        if isFIT(bytes) {
            format = .fit
            content = try FITDecoder.decode(bytes, path: name)
        } else {
            var (scanner, root) = try xmlRoot(bytes: bytes, name: name)
            format = root.format
            content = format == .gpx ? try GPXReader.read(&scanner, rootAttributes: root.attributes) : try TCXReader.read(&scanner)
        }
        guard !content.points.isEmpty else {
            throw .noTrackPoints(path: name, format: format.rawValue.uppercased())
        }
        return WatchTrack(normalising: content.points, path: name, format: format, device: content.device,
                          sport: content.sport, warnings: content.warnings)
    }

    /// The format of `bytes` from its content: a FIT file has ".FIT" at bytes 8–11 (FIT Protocol,
    /// "File Header"); GPX and TCX are XML whose root element is `gpx` or `TrainingCenterDatabase`.
    /// Malformed XML before the root element is an error; so is a file that is neither.
    public static func detectFormat(bytes: [UInt8], name: String) throws(SessionIOError) -> WatchTrack.Format {
        if isFIT(bytes) { return .fit }
        return try xmlRoot(bytes: bytes, name: name).root.format
    }

    private static func isFIT(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 12 && bytes[8..<12].elementsEqual(".FIT".utf8)
    }

    /// A scanner positioned after the root element's start tag, and what the root says.
    private static func xmlRoot(
        bytes: [UInt8], name: String
    ) throws(SessionIOError) -> (scanner: XMLScanner, root: (format: WatchTrack.Format, attributes: [XMLScanner.Attribute])) {
        if bytes.isEmpty { throw .emptyFile(path: name) }
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count, bytes[start] == UInt8(ascii: "<") else {
            throw .notAWatchFile(path: name, reason: "it has neither a FIT header ('.FIT' at bytes 8-11) nor XML")
        }
        var scanner = try XMLScanner(bytes: bytes, path: name)
        guard case .start(let root, let attributes, _)? = try scanner.next() else {
            throw scanner.failure("the file has no root element", at: bytes.count)
        }
        switch root {
        case "gpx": return (scanner, (.gpx, attributes))
        case "TrainingCenterDatabase": return (scanner, (.tcx, attributes))
        default:
            let shown = root.count > 40 ? String(root.prefix(40)) + "…" : root
            throw .notAWatchFile(path: name, reason: "its XML root element is <\(shown)>, not <gpx> (GPX) or <TrainingCenterDatabase> (TCX)")
        }
    }

    /// The bytes of the file at `path`, refusing directories and files beyond `maximumFileBytes`.
    static func contents(of path: String) throws(SessionIOError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw .cannotOpen(path: path, reason: "is a directory") }
        let size = Int(status.st_size)
        guard size <= maximumFileBytes else { throw .fileTooLarge(path: path, sizeBytes: size, limitBytes: maximumFileBytes) }
        var bytes = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let count = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + got, size - got) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }     // the file shrank while being read
            got += count
        }
        bytes.removeLast(size - got)
        return bytes
    }
}

/// The system's `read(2)` (a file-scope name, out of reach of `WatchFileReader.read`).
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
