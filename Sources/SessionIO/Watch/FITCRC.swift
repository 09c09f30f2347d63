/// The CRC-16 of the FIT protocol (polynomial 0x8005 reflected, initial value 0: CRC-16/ARC),
/// computed four bits at a time with the 16-entry table of the FIT SDK (Garmin, FIT Protocol,
/// "File header" and "CRC"; `crc_calculator.py` of garmin-fit-sdk 21.218.0).
enum FITCRC {
    static let table: [UInt16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ]

    /// `crc` updated with one byte: the low nibble, then the high one.
    @inline(__always)
    static func update(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        var crc = crc
        var temp = table[Int(crc & 0xF)]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ temp ^ table[Int(byte & 0xF)]
        temp = table[Int(crc & 0xF)]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ temp ^ table[Int(byte >> 4)]
        return crc
    }

    /// The CRC of `bytes[range]`, starting from 0.
    static func compute(_ bytes: [UInt8], _ range: Range<Int>) -> UInt16 {
        var crc: UInt16 = 0
        for index in range { crc = update(crc, bytes[index]) }
        return crc
    }
}
