import GaitDSP

/// Streams `IMUBlock`s out of a sensor CSV file, recognising its dialect from the header.
///
/// Memory use is bounded by the block size and a fixed read buffer (1 MiB plus the 64 KiB line
/// limit), never by the file's length. Errors carry the path, the 1-based line (comment and
/// preamble lines count) and the column. Accelerations come out in g, angular rates in deg/s,
/// times in seconds on the file's own clock (GENEActiv: from the first sample).
///
/// Dialects, recognised from the first non-comment line (columns may come in any order; unknown
/// columns are ignored):
///
/// - Backstride canonical, optional `#` comments first (`# fs_hz=1000`, `# device=…`,
///   `# serial=…`, free text):
///   ```
///   # fs_hz=1000
///   t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps
///   ```
///   `ax_mps2,ay_mps2,az_mps2` instead of `ax_g…` mean m/s². Gyroscope columns are optional.
/// - phyphox "Acceleration with g" export (quoted header; `;` or tab separated files may use a
///   decimal comma; "Gyroscope x (rad/s)" columns, if present, are converted to deg/s):
///   ```
///   "Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)","Absolute acceleration (m/s^2)"
///   ```
///   "Acceleration (without g)" exports (`Linear Acceleration x …`) are rejected: gravity is missing.
/// - Sensor Logger `TotalAcceleration.csv` (m/s², `seconds_elapsed` as time, else `time` in ns):
///   ```
///   time,seconds_elapsed,z,y,x
///   ```
///   `Accelerometer.csv` is read with a warning (on iOS it has gravity removed); `Gyroscope.csv` is rejected.
/// - MetaWear MetaBase accelerometer export (`elapsed (s)` as time, else `epoch (ms)`):
///   ```
///   epoch (ms),time (-00:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)
///   ```
/// - GENEActiv `.bin` converted to CSV by the GENEActiv PC software: a `key,value` preamble that
///   starts with `Device Type,GENEActiv`, then rows without a header:
///   ```
///   Device Type,GENEActiv
///   Measurement Frequency,100 Hz
///   …
///   2019-08-06 10:25:50:000,-0.426,0.728,0.509,0,0,25.1
///   ```
///   (timestamp, x, y, z in g, lux, button, temperature).
///
/// A last line cut short (fewer fields, or a last field that is only the start of a number) is
/// dropped with a warning; the same defect on any other line is an error.
public struct CSVSessionReader {
    /// What the header, comments and preamble said; complete as soon as `init` returns.
    public let metadata: SessionMetadata
    /// Most samples per block returned by `nextBlock()`.
    public let blockSize: Int
    private let parser: CSVRowParser
    private let headerWarnings: [SessionIOWarning]

    /// Default bytes per `read(2)`; large enough that the system call cost vanishes.
    static let defaultChunkBytes = 1 << 20
    /// Longest line accepted, bytes.
    public static let maxLineBytes = 64 * 1024

    /// Opens `path` and reads its header; throws if the file cannot be opened or its header is not
    /// one of the accepted dialects.
    public init(path: String, blockSize: Int = 65_536) throws(SessionIOError) {
        let source = try ByteSource(path: path, chunkBytes: Self.defaultChunkBytes, maxLineBytes: Self.maxLineBytes)
        try self.init(source: source, blockSize: blockSize)
    }

    /// Reads CSV held in memory; `name` stands in for the path in errors and metadata.
    public init(bytes: [UInt8], name: String = "<memory>", blockSize: Int = 65_536) throws(SessionIOError) {
        try self.init(bytes: bytes, name: name, blockSize: blockSize,
                      chunkBytes: Self.defaultChunkBytes, maxLineBytes: Self.maxLineBytes)
    }

    /// Reads CSV text held in memory; `name` stands in for the path in errors and metadata.
    public init(text: String, name: String = "<memory>", blockSize: Int = 65_536) throws(SessionIOError) {
        try self.init(bytes: Array(text.utf8), name: name, blockSize: blockSize)
    }

    /// In-memory reader with a chosen read chunk, so tests can put chunk boundaries anywhere.
    init(bytes: [UInt8], name: String, blockSize: Int, chunkBytes: Int, maxLineBytes: Int) throws(SessionIOError) {
        let source = ByteSource(bytes: bytes, name: name, chunkBytes: chunkBytes, maxLineBytes: maxLineBytes)
        try self.init(source: source, blockSize: blockSize)
    }

    private init(source: ByteSource, blockSize: Int) throws(SessionIOError) {
        let header = try Self.readHeader(source)
        self.metadata = header.metadata
        self.headerWarnings = header.warnings
        self.blockSize = max(1, blockSize)
        self.parser = CSVRowParser(source: source, layout: header.layout, blockCapacity: self.blockSize,
                                   linesBefore: header.linesConsumed)
    }

    /// Problems worked around so far (a truncated last line, a file that may lack gravity).
    public var warnings: [SessionIOWarning] { headerWarnings + parser.warnings }
    /// Bytes of the file parsed so far, for a progress bar.
    public var bytesConsumed: Int { parser.source.bytesConsumed }
    /// Size of the file in bytes, for a progress bar.
    public var totalBytes: Int { parser.source.totalBytes }
    /// Number of the last line read (1-based).
    public var lineNumber: Int { parser.lineNumber }

    /// Returns the next block of up to `blockSize` samples, or nil after the last one.
    ///
    /// Throws `noSamples` if the file has a header but no samples; after any error the reader
    /// returns nil.
    public mutating func nextBlock() throws(SessionIOError) -> IMUBlock? {
        let count = try parser.fill()
        if count == 0 { return nil }
        let capacity = parser.blockCapacity
        let columns = parser.valueColumns
        func column(_ index: Int) -> [Float] { Array(UnsafeBufferPointer(start: columns + index * capacity, count: count)) }
        let hasGyro = metadata.hasGyro
        return IMUBlock(
            timeS: Array(UnsafeBufferPointer(start: parser.timeColumn, count: count)),
            accelXG: column(0), accelYG: column(1), accelZG: column(2),
            gyroXDPS: hasGyro ? column(3) : [], gyroYDPS: hasGyro ? column(4) : [], gyroZDPS: hasGyro ? column(5) : [])
    }

    /// Replaces the contents of `block` with the next samples, reusing its storage; returns false
    /// (leaving `block` empty) after the last one. The allocation-free way to stream a long file.
    public mutating func nextBlock(into block: inout IMUBlock) throws(SessionIOError) -> Bool {
        block.removeAll()
        let count = try parser.fill()
        if count == 0 { return false }
        let capacity = parser.blockCapacity
        let columns = parser.valueColumns
        block.timeS.append(contentsOf: UnsafeBufferPointer(start: parser.timeColumn, count: count))
        block.accelXG.append(contentsOf: UnsafeBufferPointer(start: columns, count: count))
        block.accelYG.append(contentsOf: UnsafeBufferPointer(start: columns + capacity, count: count))
        block.accelZG.append(contentsOf: UnsafeBufferPointer(start: columns + 2 * capacity, count: count))
        if metadata.hasGyro {
            block.gyroXDPS.append(contentsOf: UnsafeBufferPointer(start: columns + 3 * capacity, count: count))
            block.gyroYDPS.append(contentsOf: UnsafeBufferPointer(start: columns + 4 * capacity, count: count))
            block.gyroZDPS.append(contentsOf: UnsafeBufferPointer(start: columns + 5 * capacity, count: count))
        }
        return true
    }

    /// Reads a whole (small) file into one block.
    public static func readAll(path: String) throws(SessionIOError) -> (IMUBlock, SessionMetadata, [SessionIOWarning]) {
        var reader = try CSVSessionReader(path: path)
        return try reader.readRemaining()
    }

    /// Reads whole in-memory CSV into one block.
    public static func readAll(bytes: [UInt8], name: String = "<memory>") throws(SessionIOError) -> (IMUBlock, SessionMetadata, [SessionIOWarning]) {
        var reader = try CSVSessionReader(bytes: bytes, name: name)
        return try reader.readRemaining()
    }

    /// Reads whole in-memory CSV text into one block.
    public static func readAll(text: String, name: String = "<memory>") throws(SessionIOError) -> (IMUBlock, SessionMetadata, [SessionIOWarning]) {
        try readAll(bytes: Array(text.utf8), name: name)
    }

    mutating func readRemaining() throws(SessionIOError) -> (IMUBlock, SessionMetadata, [SessionIOWarning]) {
        var all = IMUBlock(hasGyro: metadata.hasGyro)
        while let block = try nextBlock() {
            all.timeS += block.timeS
            all.accelXG += block.accelXG
            all.accelYG += block.accelYG
            all.accelZG += block.accelZG
            all.gyroXDPS += block.gyroXDPS
            all.gyroYDPS += block.gyroYDPS
            all.gyroZDPS += block.gyroZDPS
        }
        return (all, metadata, warnings)
    }
}
