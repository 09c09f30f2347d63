import ClipProtocol
import Foundation

/// A clip's `.bsession` file of a synthetic steady run, as the clip writes it (header and
/// CRC-checked data blocks), with a gyroscope.
public enum ClipSessionFile {
    /// The file's bytes: `durationS` at `rateHz`, from `seed`, as session `sessionID` of clip `serial`.
    public static func bytes(durationS: Double, rateHz: Double, seed: UInt64, serial: String, sessionID: UInt32) -> [UInt8] {
        let header = SessionHeader(sessionID: sessionID, hasGyroscope: true, firmwareBCD: 0x0102,
                                   sampleRateMilliHz: UInt32(rateHz * 1000), startTicks: 5_000_000,
                                   startUTCMicroseconds: 1_760_000_000_000_000, serial: serial)
        var encoder = SessionEncoder(header: header)
        var index: UInt64 = 0
        for block in SyntheticRun.blocks(.steadyRun(durationS: durationS, sampleRateHz: rateHz, seed: seed)) {
            for i in 0..<block.count {
                let sample = RawSample(
                    accelX: header.accelCounts(block.accelXG[i]), accelY: header.accelCounts(block.accelYG[i]),
                    accelZ: header.accelCounts(block.accelZG[i]), gyroX: header.gyroCounts(block.gyroXDPS[i]),
                    gyroY: header.gyroCounts(block.gyroYDPS[i]), gyroZ: header.gyroCounts(block.gyroZDPS[i]))
                encoder.append(sample, ticks: header.startTicks + index * 1_000_000 / UInt64(rateHz))
                index += 1
            }
        }
        return encoder.finish()
    }

    /// The first `blocks` data blocks of a file and `extraBytes` of the next: a copy cut short.
    public static func truncated(_ bytes: [UInt8], blocks: Int, extraBytes: Int = 0) -> [UInt8] {
        Array(bytes.prefix(SessionHeader.blockSize * (1 + blocks) + extraBytes))
    }
}
