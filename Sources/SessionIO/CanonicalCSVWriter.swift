#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GaitDSP

/// Streams `IMUBlock`s into a file (or memory) in the Backstride canonical CSV format:
///
/// ```
/// # fs_hz=1000
/// # device=Backstride clip v2
/// # serial=BS-000123
/// # any free text
/// t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps
/// 0.000000,0.01234,-0.99876,0.02345,1.234,-0.567,0.089
/// ```
///
/// Time has 6 decimals (1 µs), acceleration 5 (10 µg), angular rate 3 (0.001 deg/s); values are
/// rounded half away from zero. Digits are formatted by hand into a 1 MiB buffer written with
/// `write(2)`, so writing keeps up with reading. Call `finish()` to flush and close; a writer
/// dropped without it flushes what it can and closes the file, ignoring errors.
public final class CanonicalCSVWriter {
    /// Whether rows carry the three gyroscope columns. Blocks without gyroscope are refused then;
    /// a writer without gyroscope writes only the accelerometer of blocks that have one.
    public let hasGyro: Bool
    /// The file written (or the name given for in-memory output).
    public let path: String
    /// Samples written so far.
    public private(set) var samplesWritten = 0
    /// The bytes produced, for a writer created with `init(inMemory…)`; empty for files.
    public private(set) var memoryOutput: [UInt8] = []

    private var fileDescriptor: Int32
    private let inMemory: Bool
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferCapacity = 1 << 20
    private var used = 0
    private var finished = false

    /// Creates (truncating) `path` and writes the comment lines and header.
    ///
    /// - Parameters:
    ///   - sampleRateHz: written as `# fs_hz=`; omitted when nil.
    ///   - device, serial: written as `# device=` and `# serial=`; omitted when nil.
    ///   - comments: free comment lines, each written as `# text` (newlines become spaces).
    public init(
        path: String, hasGyro: Bool, sampleRateHz: Double? = nil, device: String? = nil, serial: String? = nil,
        comments: [String] = []
    ) throws(SessionIOError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.hasGyro = hasGyro
        self.fileDescriptor = descriptor
        self.inMemory = false
        self.buffer = .allocate(capacity: bufferCapacity)
        writeHeader(sampleRateHz: sampleRateHz, device: device, serial: serial, comments: comments)
    }

    /// Creates a writer whose output collects in `memoryOutput`; `name` stands in for the path.
    public init(
        inMemoryNamed name: String = "<memory>", hasGyro: Bool, sampleRateHz: Double? = nil, device: String? = nil,
        serial: String? = nil, comments: [String] = []
    ) {
        self.path = name
        self.hasGyro = hasGyro
        self.fileDescriptor = -1
        self.inMemory = true
        self.buffer = .allocate(capacity: bufferCapacity)
        writeHeader(sampleRateHz: sampleRateHz, device: device, serial: serial, comments: comments)
    }

    deinit {
        if !finished { try? flush() }
        if fileDescriptor >= 0 { close(fileDescriptor) }
        buffer.deallocate()
    }

    private func writeHeader(sampleRateHz: Double?, device: String?, serial: String?, comments: [String]) {
        var text = ""
        func oneLine(_ value: String) -> String {
            String(value.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        }
        if let rate = sampleRateHz {
            let rateText = rate == rate.rounded() && abs(rate) < 1e15 ? String(Int64(rate)) : String(rate)
            text += "# fs_hz=\(rateText)\n"
        }
        if let device { text += "# device=\(oneLine(device))\n" }
        if let serial { text += "# serial=\(oneLine(serial))\n" }
        for comment in comments { text += "# \(oneLine(comment))\n" }
        text += hasGyro ? "t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n" : "t_s,ax_g,ay_g,az_g\n"
        for byte in text.utf8 {
            buffer[used] = byte
            used += 1
        }
    }

    /// Appends the samples of `block`.
    public func write(_ block: IMUBlock) throws(SessionIOError) {
        if finished { throw .writeFailed(path: path, reason: "write after finish()") }
        if hasGyro && !block.hasGyro && block.count > 0 {
            throw .writeFailed(path: path, reason: "block has no gyroscope samples but the file has gyroscope columns")
        }
        let count = block.count
        let gyro = hasGyro
        // Longest row: 7 fields of at most 24 bytes.
        let rowBytesMax = 7 * 24 + 1
        try block.timeS.withUnsafeBufferPointer { (times) throws(SessionIOError) in
            try block.accelXG.withUnsafeBufferPointer { (ax) throws(SessionIOError) in
                try block.accelYG.withUnsafeBufferPointer { (ay) throws(SessionIOError) in
                    try block.accelZG.withUnsafeBufferPointer { (az) throws(SessionIOError) in
                        try block.gyroXDPS.withUnsafeBufferPointer { (gx) throws(SessionIOError) in
                            try block.gyroYDPS.withUnsafeBufferPointer { (gy) throws(SessionIOError) in
                                try block.gyroZDPS.withUnsafeBufferPointer { (gz) throws(SessionIOError) in
                                    for index in 0..<count {
                                        if used + rowBytesMax > bufferCapacity { try flush() }
                                        var out = buffer + used
                                        let sample = samplesWritten + index
                                        try appendFixed(times[index], scale: 1e6, decimals: 6, to: &out, sample: sample, column: "t_s")
                                        out.pointee = UInt8(ascii: ","); out += 1
                                        try appendFixed(Double(ax[index]), scale: 1e5, decimals: 5, to: &out, sample: sample, column: "ax_g")
                                        out.pointee = UInt8(ascii: ","); out += 1
                                        try appendFixed(Double(ay[index]), scale: 1e5, decimals: 5, to: &out, sample: sample, column: "ay_g")
                                        out.pointee = UInt8(ascii: ","); out += 1
                                        try appendFixed(Double(az[index]), scale: 1e5, decimals: 5, to: &out, sample: sample, column: "az_g")
                                        if gyro {
                                            out.pointee = UInt8(ascii: ","); out += 1
                                            try appendFixed(Double(gx[index]), scale: 1e3, decimals: 3, to: &out, sample: sample, column: "gx_dps")
                                            out.pointee = UInt8(ascii: ","); out += 1
                                            try appendFixed(Double(gy[index]), scale: 1e3, decimals: 3, to: &out, sample: sample, column: "gy_dps")
                                            out.pointee = UInt8(ascii: ","); out += 1
                                            try appendFixed(Double(gz[index]), scale: 1e3, decimals: 3, to: &out, sample: sample, column: "gz_dps")
                                        }
                                        out.pointee = UInt8(ascii: "\n"); out += 1
                                        used = out - buffer
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        samplesWritten += count
    }

    /// Writes `value` with `decimals` fraction digits (`scale` = 10^decimals), by hand.
    @inline(__always)
    private func appendFixed(
        _ value: Double, scale: Double, decimals: Int, to out: inout UnsafeMutablePointer<UInt8>, sample: Int, column: String
    ) throws(SessionIOError) {
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        // 9e15 keeps every scaled value an exact integer in a Double.
        guard scaled.isFinite, abs(scaled) < 9e15 else {
            throw .unwritableValue(path: path, sampleIndex: sample, column: column, value: value)
        }
        var magnitude = UInt64(abs(scaled))
        if scaled < 0 && magnitude != 0 {
            out.pointee = UInt8(ascii: "-")
            out += 1
        }
        // Digits in reverse into a scratch area of the output, then flipped: fraction first.
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch
        withUnsafeMutableBytes(of: &digits) { scratch in
            var length = 0
            repeat {
                scratch[length] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
                length += 1
                if length == decimals {
                    scratch[length] = UInt8(ascii: ".")
                    length += 1
                }
            } while magnitude > 0 || length < decimals + 2
            while length > 0 {
                length -= 1
                out.pointee = scratch[length]
                out += 1
            }
        }
    }

    /// Writes the buffered bytes out.
    public func flush() throws(SessionIOError) {
        guard used > 0 else { return }
        if inMemory {
            memoryOutput.append(contentsOf: UnsafeBufferPointer(start: buffer, count: used))
            used = 0
            return
        }
        var offset = 0
        while offset < used {
            let written = systemWrite(fileDescriptor, buffer + offset, used - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        used = 0
    }

    /// Flushes and closes the file; the writer accepts no more blocks.
    public func finish() throws(SessionIOError) {
        if finished { return }
        try flush()
        finished = true
        if fileDescriptor >= 0 {
            let status = close(fileDescriptor)
            fileDescriptor = -1
            if status != 0 { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}

/// `write(2)`, named apart from `CanonicalCSVWriter.write(_:)`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
