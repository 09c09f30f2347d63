import Foundation
import Testing
@testable import SessionIO

@Suite("SessionIOBenchmark")
struct SessionIOBenchmarkTests {
    @Test("the synthetic file parses back completely and the measurement reports its size (no timing asserted)")
    func syntheticFileMeasures() throws {
        let path = temporaryPath("bench.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try SessionIOBenchmark.writeSyntheticCanonicalFile(path: path, durationS: 3, sampleRateHz: 1000)
        let result = try SessionIOBenchmark.measureParse(path: path, blockSize: 1000)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(written == 3000)
        #expect(result.samples == 3000)
        #expect(result.bytes == size)
        #expect(result.seconds > 0)
    }
}
