import ClipProtocol
import GaitSynth

/// One session in the simulated flash: its bytes exactly as READ_SESSION returns them and its list entry.
struct StoredSession: Sendable {
    var bytes: [UInt8]
    var entry: SessionEntry

    /// Stores `bytes`, deriving the entry from what verifies (the clip's boot-time scan).
    init(bytes: [UInt8], id: UInt32, incomplete: Bool?) {
        self.bytes = bytes
        let decoded = SessionBlockDecoder.decode(bytes)
        var flags: SessionFlags = []
        if decoded.header?.hasGyroscope == true { flags.insert(.hasGyroscope) }
        if incomplete ?? !decoded.isComplete { flags.insert(.incomplete) }
        let header = decoded.header
        let sampleCount = decoded.samples.count
        entry = SessionEntry(id: id, checksum: SessionChecksum.compute(bytes),
                             startUTCMicroseconds: header?.startUTCMicroseconds ?? SessionHeader.utcNotSet,
                             startTicks: header?.startTicks ?? 0, byteLength: UInt32(bytes.count),
                             sampleCount: UInt32(sampleCount), sampleRateMilliHz: header?.sampleRateMilliHz ?? 0, flags: flags)
    }
}

enum SessionRecorder {
    /// Records `activity` as the clip would: at the clip's rate, quantised to counts, in blocks.
    static func record(_ activity: SynthConfig, header: SessionHeader) -> [UInt8] {
        var generator = SynthGenerator(config: activity)
        var encoder = SessionEncoder(header: header)
        var chunk = SynthChunk()
        let tickRate = Double(header.tickRateHz)
        while generator.next(into: &chunk, maxSamples: 4096) {
            for n in 0..<chunk.count {
                encoder.append(rawSample(chunk, n, header: header), ticks: header.startTicks + UInt64((chunk.timeS[n] * tickRate).rounded()))
            }
        }
        return encoder.finish()
    }

    static func rawSample(_ chunk: SynthChunk, _ n: Int, header: SessionHeader) -> RawSample {
        var sample = RawSample(accelX: header.accelCounts(chunk.accelXG[n]), accelY: header.accelCounts(chunk.accelYG[n]),
                               accelZ: header.accelCounts(chunk.accelZG[n]))
        if header.hasGyroscope, n < chunk.gyroXDPS.count {
            sample.gyroX = header.gyroCounts(chunk.gyroXDPS[n])
            sample.gyroY = header.gyroCounts(chunk.gyroYDPS[n])
            sample.gyroZ = header.gyroCounts(chunk.gyroZDPS[n])
        }
        return sample
    }

    /// Cuts the last data block as a power loss would: its first `programmedBytes` bytes kept, the
    /// rest of the block (CRC included) left erased (0xFF).
    static func cutByPowerLoss(_ bytes: [UInt8], programmedBytes: Int) -> [UInt8] {
        let blockSize = SessionHeader.blockSize
        precondition(bytes.count >= 2 * blockSize, "a power-cut session needs at least one data block")
        precondition((1..<(blockSize - 4)).contains(programmedBytes), "programmedBytes must be 1…507")
        var cut = bytes
        let lastBlock = bytes.count - blockSize
        for offset in (lastBlock + programmedBytes)..<bytes.count { cut[offset] = 0xFF }
        return cut
    }
}
