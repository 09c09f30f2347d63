import CZlib

/// zlib (RFC 1950) compression of whole buffers, for the raw-sample chunks.
enum Deflate {
    /// The zlib level of the raw-sample chunks. Design choice: 3. The chunks are varints of sample
    /// differences, mostly sensor noise, which deflate barely shrinks and its longer match
    /// searches do not help: on the 1 h, 1 kHz run of `gait bench` (75.9 MB before deflate)
    /// level 6 took 2.51 s for 66.3 MB, level 3 1.74 s for 60.7 MB, level 1 1.78 s for 61.0 MB;
    /// a simulated clip's 20 min 826 / 819 / 824 kB at 6 / 3 / 1; only the coarse GENEActiv demo
    /// file shrinks more at 6 (29 kB, 35 kB at 3). Any level reads back the same.
    static let level: Int32 = 3

    /// Compresses `bytes` at `level`.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var destinationLength = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(destinationLength))
        let status = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &destinationLength, source.baseAddress, uLong(source.count), level)
            }
        }
        precondition(status == Z_OK, "compress2 failed (\(status)) with a buffer of compressBound's size")
        output.removeSubrange(Int(destinationLength)...)
        return output
    }

    /// Decompresses `bytes` that must inflate to exactly `expectedCount` bytes; nil when they do not.
    static func decompress(_ bytes: [UInt8], expectedCount: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: expectedCount)
        var destinationLength = uLong(expectedCount)
        let status = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                uncompress(destination.baseAddress, &destinationLength, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(destinationLength) == expectedCount else { return nil }
        return output
    }
}
