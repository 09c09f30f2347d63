import ClipProtocol
import Testing

/// A deterministic session: `count` samples at 100 Hz from tick 5 000 000, optional gyroscope.
func makeSession(count: Int, gyro: Bool = true, id: UInt32 = 3, gapAfter: Int? = nil) -> (bytes: [UInt8], samples: [RawSample]) {
    let header = SessionHeader(sessionID: id, hasGyroscope: gyro, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000,
                               startTicks: 5_000_000, startUTCMicroseconds: SessionHeader.utcNotSet, serial: "TEST-1")
    var encoder = SessionEncoder(header: header)
    var samples: [RawSample] = []
    for n in 0..<count {
        let v = Int16(truncatingIfNeeded: n &* 37 &- 500)
        let sample = RawSample(accelX: v, accelY: -v, accelZ: 2048, gyroX: gyro ? v / 3 : 0, gyroY: gyro ? 7 : 0, gyroZ: gyro ? -v : 0)
        samples.append(sample)
        let gap: UInt64 = (gapAfter.map { n > $0 } ?? false) ? 2_000_000 : 0
        encoder.append(sample, ticks: 5_000_000 + UInt64(n) * 10_000 + gap)
    }
    return (encoder.finish(), samples)
}

@Suite struct SessionBlockDecoderTests {
    @Test func encodedSessionDecodesToTheSameSamplesInUnits() {
        let (bytes, samples) = makeSession(count: 101)
        #expect(bytes.count == 512 * 4) // header + 40 + 40 + 21
        let decoded = SessionBlockDecoder.decode(bytes)
        #expect(decoded.isComplete)
        #expect(decoded.goodDataBlockCount == 3)
        #expect(decoded.samples.count == 101)
        for (n, sample) in samples.enumerated() {
            #expect(decoded.samples.accelXG[n] == Float(sample.accelX) / 2048)
            #expect(decoded.samples.gyroZDPS[n] == Float(sample.gyroZ) * Float(0.07))
            #expect(abs(decoded.samples.timeS[n] - Double(n) * 0.01) < 1e-9)
        }
    }

    @Test func accelerometerOnlySessionsHaveNoGyroscopeArrays() {
        let (bytes, _) = makeSession(count: 81, gyro: false)
        #expect(bytes.count == 512 * 3)
        let decoded = SessionBlockDecoder.decode(bytes)
        #expect(decoded.isComplete && decoded.samples.count == 81 && decoded.samples.gyroXDPS.isEmpty)
    }

    @Test func aTimeGapStartsANewBlockAndShowsInTheTimestamps() {
        let (bytes, _) = makeSession(count: 30, gapAfter: 9)
        let decoded = SessionBlockDecoder.decode(bytes)
        #expect(decoded.goodDataBlockCount == 2)
        #expect(abs(decoded.samples.timeS[9] - 0.09) < 1e-9)
        #expect(abs(decoded.samples.timeS[10] - 2.10) < 1e-9)
    }

    @Test func feedingInChunksOfAnySizeGivesTheSameResult() {
        let (bytes, _) = makeSession(count: 150)
        let whole = SessionBlockDecoder.decode(bytes)
        for size in [1, 3, 100, 511, 512, 513, 1000, 4096] {
            var decoder = SessionBlockDecoder()
            var offset = 0
            while offset < bytes.count {
                decoder.feed(Array(bytes[offset..<min(offset + size, bytes.count)]))
                offset += size
            }
            #expect(decoder.finish() == whole, "chunk size \(size)")
        }
    }

    @Test func everyCorruptedByteIsCaughtInItsOwnBlockAndTheOthersAreKept() {
        let (bytes, _) = makeSession(count: 90)
        let clean = SessionBlockDecoder.decode(bytes)
        for offset in 0..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= 0x5A
            let decoded = SessionBlockDecoder.decode(damaged)
            let block = offset / 512
            if block == 0 {
                #expect(decoded.header == nil, "byte \(offset)")
                #expect(decoded.badBlocks.map(\.index) == Array(0..<decoded.blockCount), "byte \(offset)")
                #expect(decoded.samples.count == 0)
            } else {
                #expect(decoded.badBlocks.map(\.index) == [block], "byte \(offset)")
                let lost = block == 3 ? 10 : 40
                #expect(decoded.samples.count == clean.samples.count - lost, "byte \(offset)")
            }
        }
    }

    @Test func trailingPartialBlockIsReportedAsTruncated() {
        let (bytes, _) = makeSession(count: 50)
        let decoded = SessionBlockDecoder.decode(Array(bytes.dropLast(12)))
        #expect(decoded.badBlocks == [BadBlock(index: 2, reason: .truncated(byteCount: 500))])
        #expect(decoded.samples.count == 40)
        #expect(!decoded.isComplete)
    }

    @Test func erasedAndForeignBlocksAreNamed() {
        let (bytes, _) = makeSession(count: 80)
        let other = makeSession(count: 80, id: 99).bytes
        var mixed = Array(bytes[0..<512]) + Array(repeating: 0xFF, count: 512) + Array(other[1024..<1536])
        var decoded = SessionBlockDecoder.decode(mixed)
        #expect(decoded.badBlocks == [BadBlock(index: 1, reason: .erased), BadBlock(index: 2, reason: .wrongSession(expected: 3, found: 99))])
        mixed = Array(bytes[0..<512]) + Array(bytes[1024..<1536])
        decoded = SessionBlockDecoder.decode(mixed)
        #expect(decoded.badBlocks == [BadBlock(index: 1, reason: .wrongSequence(expected: 1, found: 2))])
    }

    @Test func quantisationRoundsAndClamps() {
        let header = SessionHeader(sessionID: 1, hasGyroscope: true, firmwareBCD: 0x0100, sampleRateMilliHz: 100_000, startTicks: 0,
                                   startUTCMicroseconds: 0, serial: "Q")
        #expect(header.accelCounts(1) == 2048)
        #expect(header.accelCounts(-40) == -32768)
        #expect(header.accelCounts(40) == 32767)
        #expect(header.gyroCounts(7) == 100)
        #expect(header.accelCounts(.nan) == 0)
    }

    @Test func benchmarkDecodesItsSession() {
        let result = ClipProtocolBenchmark.measureBlockDecoding(megabytes: 1)
        #expect(result.bytes == 1_048_576 && result.seconds > 0)
    }
}
