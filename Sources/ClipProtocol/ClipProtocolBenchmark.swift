/// Throughput measurements that `gait bench` can run.
public enum ClipProtocolBenchmark {
    /// A synthetic session of about `megabytes` MiB (gyroscope on, 100 Hz, deterministic samples).
    public static func makeSession(megabytes: Int) -> [UInt8] {
        let header = SessionHeader(sessionID: 7, hasGyroscope: true, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000,
                                   startTicks: 1_000_000, startUTCMicroseconds: SessionHeader.utcNotSet, serial: "BENCH")
        var encoder = SessionEncoder(header: header)
        let blocks = max(1, megabytes * 1_048_576 / SessionHeader.blockSize - 1)
        var state: UInt32 = 0x1234_5678
        for n in 0..<(blocks * header.samplesPerBlock) {
            state = state &* 1_664_525 &+ 1_013_904_223
            let v = Int16(truncatingIfNeeded: state >> 16)
            encoder.append(RawSample(accelX: v, accelY: v &+ 1, accelZ: 2048, gyroX: v >> 2, gyroY: 3, gyroZ: (0 &- v) >> 3),
                           ticks: 1_000_000 + UInt64(n) * 10_000)
        }
        return encoder.finish()
    }

    /// Decodes and verifies a session of about `megabytes` MiB (every CRC, every sample to g and
    /// deg/s and seconds) and returns the bytes decoded and the best wall time of three runs, seconds.
    public static func measureBlockDecoding(megabytes: Int) -> (bytes: Int, seconds: Double) {
        let session = makeSession(megabytes: megabytes)
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            let decoded = SessionBlockDecoder.decode(session)
            let elapsed = clock.now - start
            precondition(decoded.isComplete, "benchmark session failed to verify")
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = min(best, seconds)
        }
        return (session.count, best)
    }
}
