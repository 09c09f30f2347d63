import ClipProtocol
import Testing

/// Header values and block times a session cannot have are refused by name, and a block dated
/// back into the previous one is a bad block, never samples that run backwards (issue 13).
@Suite struct SessionHeaderValidationTests {
    static let header = SessionHeader(sessionID: 9, hasGyroscope: true, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000,
                                      startTicks: 0, startUTCMicroseconds: SessionHeader.utcNotSet, serial: "TEST-9")

    /// The header's block with one field changed, checksum recomputed as firmware would write it.
    static func decodeHeader(_ change: (inout SessionHeader) -> Void) -> BadBlockReason? {
        var header = header
        change(&header)
        do {
            _ = try SessionHeader(block: header.encodedBlock())
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [UInt32(1), 49_999, 1_600_001, 3_200_000])
    func aSampleRateOutside50To1600HzIsRefused(milliHz: UInt32) {
        let reason = Self.decodeHeader { $0.sampleRateMilliHz = milliHz }
        #expect(reason?.description.contains("sampleRateMilliHz") == true, "\(String(describing: reason))")
    }

    @Test(arguments: [UInt32(50_000), 100_000, 1_600_000])
    func aSampleRateFrom50To1600HzIsAccepted(milliHz: UInt32) {
        #expect(Self.decodeHeader { $0.sampleRateMilliHz = milliHz } == nil)
    }

    @Test func aOneHertzTickRateIsRefusedBecauseItCannotTimeTheSamples() {
        let reason = Self.decodeHeader { $0.tickRateHz = 1 }
        #expect(reason?.description.contains("tickRateHz") == true, "\(String(describing: reason))")
    }

    @Test(arguments: [Float.nan, 0, -0.07, .infinity])
    func aGyroscopeScaleThatIsNotAFinitePositiveNumberIsRefused(scale: Float) {
        let reason = Self.decodeHeader { $0.gyroDPSPerLsb = scale }
        #expect(reason?.description.contains("gyroDPSPerLsb") == true, "\(String(describing: reason))")
    }

    @Test(arguments: [Float.nan, 0])
    func anAccelerationScaleThatIsNotAFinitePositiveNumberIsRefused(scale: Float) {
        let reason = Self.decodeHeader { $0.accelGPerLsb = scale }
        #expect(reason?.description.contains("accelGPerLsb") == true, "\(String(describing: reason))")
    }

    @Test func aBlockDatedBackIntoThePreviousOneIsABadBlockAndTimeNeverRunsBackwards() {
        var encoder = SessionEncoder(header: Self.header)
        for n in 0..<200 {
            // From sample 80 (block 3) the clock reads one hour earlier.
            let ticks = UInt64(n) * 10_000
            encoder.append(RawSample(accelX: 1, accelY: 2, accelZ: 2048), ticks: n >= 80 ? ticks &- 3_600_000_000 : ticks)
        }
        let decoded = SessionBlockDecoder.decode(encoder.finish())
        #expect(decoded.badBlocks.first?.index == 3, "\(decoded.badBlocks)")
        if case .ticksWentBackwards? = decoded.badBlocks.first?.reason {} else {
            Issue.record("expected ticksWentBackwards, got \(decoded.badBlocks)")
        }
        #expect(decoded.samples.count == 80)
        #expect(zip(decoded.samples.timeS, decoded.samples.timeS.dropFirst()).allSatisfy { $0 < $1 })
    }
}
