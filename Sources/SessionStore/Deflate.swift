import CZlib

/// zlib (RFC 1950) compression of whole buffers, for the raw-sample chunks.
enum Deflate {
    /// Compresses `bytes` at zlib level 6.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var destinationLength = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(destinationLength))
        let status = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &destinationLength, source.baseAddress, uLong(source.count), 6)
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
