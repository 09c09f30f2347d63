/// The checksum a clip lists for a session and checks before erasing it (Firmware-protocol §5.4).
///
/// CRC-32C over bytes 0…507 of every 512-byte block, in order; a trailing partial block counts
/// whole. The blocks' own CRC fields (bytes 508…511) are left out on purpose: CRC-32C run over
/// data followed by that data's CRC always ends in the same register value (the CRC residue), so a
/// checksum over whole blocks would depend only on the number of blocks, and two different
/// sessions of equal length would share it — defeating both the integrity check and the erase guard.
public enum SessionChecksum {
    /// The checksum of a session's bytes as READ_SESSION returns them.
    public static func compute(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32C()
        let blockSize = SessionHeader.blockSize
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + blockSize)
                let covered = end - offset == blockSize ? blockSize - 4 : end - offset
                crc.update(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + covered)]))
                offset = end
            }
        }
        return crc.value
    }
}
