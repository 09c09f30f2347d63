#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GaitDSP

/// Throughput measurements of the CSV reader and writer, for `gait bench`.
public enum SessionIOBenchmark {
    /// Parses the whole file at `path` once and reports its size in bytes, the wall-clock seconds
    /// taken (open to last block), and the number of samples read.
    public static func measureParse(path: String, blockSize: Int = 65_536) throws(SessionIOError) -> (bytes: Int, seconds: Double, samples: Int) {
        let clock = ContinuousClock()
        let startInstant = clock.now
        var reader = try CSVSessionReader(path: path, blockSize: blockSize)
        var samples = 0
        var checksum: Float = 0
        var block = IMUBlock(capacity: blockSize, hasGyro: reader.metadata.hasGyro)
        while try reader.nextBlock(into: &block) {
            samples += block.count
            checksum += block.accelZG[block.count - 1]
        }
        let elapsed = clock.now - startInstant
        blackHole(checksum)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (reader.totalBytes, seconds, samples)
    }

    /// Writes a synthetic canonical file of `durationS` seconds at `sampleRateHz` (walking-like
    /// accelerations around 1 g, gyroscope optional) for benchmarks; returns the number of samples.
    @discardableResult
    public static func writeSyntheticCanonicalFile(
        path: String, durationS: Double, sampleRateHz: Double = 1000, hasGyro: Bool = true
    ) throws(SessionIOError) -> Int {
        let writer = try CanonicalCSVWriter(
            path: path, hasGyro: hasGyro, sampleRateHz: sampleRateHz, device: "synthetic",
            comments: ["SessionIOBenchmark synthetic file, \(durationS) s"])
        let total = Int(durationS * sampleRateHz)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func noise() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) * 1e-6
        }
        var block = IMUBlock(capacity: 10_000, hasGyro: hasGyro)
        var index = 0
        while index < total {
            block.removeAll()
            let end = min(total, index + 10_000)
            for sample in index..<end {
                let time = 1234.0 + Double(sample) / sampleRateHz
                let phase = Float((time * 2.8).truncatingRemainder(dividingBy: 1)) * 2 * .pi
                let x = 0.3 * sin(phase) + 0.05 * noise()
                let y = -0.98 + 0.6 * cos(phase) + 0.05 * noise()
                let z = 0.2 * sin(2 * phase) + 0.05 * noise()
                if hasGyro {
                    block.append(timeS: time, x: x, y: y, z: z, gx: 40 * sin(phase) + noise(), gy: 12 * noise(), gz: -30 * cos(phase))
                } else {
                    block.append(timeS: time, x: x, y: y, z: z)
                }
            }
            try writer.write(block)
            index = end
        }
        try writer.finish()
        return total
    }

    @inline(never)
    static func blackHole(_ value: Float) {
        if value == .infinity * 0 { print("") }
    }
}
