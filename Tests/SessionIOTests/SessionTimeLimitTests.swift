import ClipProtocol
import Foundation
import GaitDSP
import SessionIO
import Testing

/// Times a session cannot have are one clear error naming the line (CSV) or the block (clip
/// session), or a bad block reported and left out; never a negative duration or a span of years
/// (issue 13). These run in the release build too (`Tests/ReleaseParsers`).
@Suite("Session time limits")
struct SessionTimeLimitTests {
    /// A canonical CSV of `rows` samples at 100 Hz, with `replace` changing the time of some rows.
    static func csv(rows: Int = 300, replace: (Int, Double) -> String = { _, t in "\(t)" }) -> String {
        var text = "# fs_hz=100\nt_s,ax_g,ay_g,az_g\n"
        for i in 0..<rows { text += "\(replace(i, Double(i) / 100)),0.01,0.02,1.0\n" }
        return text
    }

    @Test("a CSV time column that jumps by 10¹² s or 10¹⁴ s is refused at once, naming the line and the 7-day limit",
          arguments: [1e12, 1e14])
    func csvTimeJumpIsRefusedNamingTheLine(jumpS: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let text = Self.csv { i, t in i >= 150 ? "\(t + jumpS)" : "\(t)" }
        let error = caughtError { try CSVSessionReader.readAll(text: text, name: "jump.csv") }
        #expect(clock.now - start < .milliseconds(500))
        guard case .timeOutOfSpan(path: "jump.csv", line: 153, column: "t_s", _, _)? = error else {
            Issue.record("expected timeOutOfSpan at line 153, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("jump.csv:153:") == true)
        #expect(error?.description.contains("at most 7 days") == true, "\(error?.description ?? "")")
    }

    @Test("t_s = 1e300 is refused with the line, so no duration or document can overflow")
    func csvHugeTimeIsRefused() {
        let text = Self.csv { i, t in i == 200 ? "1e300" : "\(t)" }
        let error = caughtError { try CSVSessionReader.readAll(text: text, name: "huge.csv") }
        #expect(error?.line == 203, "\(String(describing: error))")
        #expect(error?.description.contains("at most 7 days") == true)
    }

    @Test("a CSV spanning just under 7 days reads whole")
    func csvWithinTheSpanReads() throws {
        let text = Self.csv { i, t in i >= 150 ? "\(t + 6 * 86_400)" : "\(t)" }
        let (block, _, _) = try CSVSessionReader.readAll(text: text, name: "week.csv")
        #expect(block.count == 300)
    }

    // MARK: - Clip sessions

    static let header = ClipSessionReaderRobustnessTests.header

    /// A session whose sample `i` is taken at `ticks(i)` (10 000 ticks a sample at 100 Hz and 1 MHz by default).
    static func session(samples: Int = 800, header: SessionHeader = header, ticks: (Int) -> UInt64 = { UInt64($0) * 10_000 }) -> [UInt8] {
        var encoder = SessionEncoder(header: header)
        for i in 0..<samples {
            let v = Int16(truncatingIfNeeded: (i * 37) % 4000 - 2000)
            encoder.append(RawSample(accelX: v, accelY: 2048, accelZ: -v, gyroX: v, gyroY: 0, gyroZ: 1), ticks: header.startTicks + ticks(i))
        }
        return encoder.finish()
    }

    static func readAll(_ bytes: [UInt8], _ name: String) throws(SessionIOError) -> (times: [Double], bad: [String]) {
        let path = ClipSessionReaderRobustnessTests.write(bytes, name)
        var reader = try ClipSessionReader(path: path)
        defer { reader.close() }
        var times: [Double] = []
        while let block = try reader.nextBlock() { times += block.timeS }
        return (times, reader.badBlocks)
    }

    @Test("block ticks that go back an hour leave that block out as a bad block, so time never runs backwards")
    func ticksGoingBackwardsAreABadBlock() throws {
        // From sample 400 on the clock reads one hour earlier: blocks 11 onwards go back.
        let bytes = Self.session(samples: 800) { i in i >= 400 ? UInt64(i) * 10_000 &- 3_600_000_000 : UInt64(i) * 10_000 }
        let result = try Self.readAll(bytes, "backwards.bsession")
        #expect(!result.bad.isEmpty)
        #expect(result.bad.first?.hasPrefix("blocks 11–20:") == true, "\(result.bad)")
        #expect(result.bad.first?.contains("goes back") == true, "\(result.bad)")
        #expect(zip(result.times, result.times.dropFirst()).allSatisfy { $0 < $1 })
        // The analysis reports the gap; nothing ends before it starts.
        let analysis = try SessionFileAnalyzer.analyze(path: temporaryPath("backwards.bsession"))
        #expect(analysis.durationS >= 0 && analysis.durationS < 10)
        #expect(analysis.bouts.allSatisfy { $0.endS >= $0.startS && $0.pausedS >= 0 })
        #expect(analysis.input.warnings.contains { $0.contains("bad block") })
    }

    @Test("a block dated 30 days after the start is an error naming the block and the 7-day limit")
    func blockBeyondTheSpanIsAnError() {
        let bytes = Self.session(samples: 800) { i in i >= 400 ? UInt64(i) * 10_000 + 30 * 86_400_000_000 : UInt64(i) * 10_000 }
        let error = caughtError { try Self.readAll(bytes, "month.bsession") }
        guard case .blockTimeOutOfSpan(_, block: 11, _)? = error else {
            Issue.record("expected blockTimeOutOfSpan at block 11, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("block 11") == true && error?.description.contains("7 days") == true)
    }

    @Test("a header with an impossible rate or scale is refused, naming the field",
          arguments: [("sampleRateMilliHz", 1), ("sampleRateMilliHz", 3_200_000), ("tickRateHz", 1), ("gyroDPSPerLsb", 0), ("accelGPerLsb", 0)])
    func impossibleHeaderIsRefused(field: String, bad: Int) {
        var header = Self.header
        switch field {
        case "sampleRateMilliHz": header.sampleRateMilliHz = UInt32(bad)
        case "tickRateHz": header.tickRateHz = UInt32(bad)
        case "gyroDPSPerLsb": header.gyroDPSPerLsb = .nan
        default: header.accelGPerLsb = .nan
        }
        let bytes = header.encodedBlock() + Array(Self.session().dropFirst(SessionHeader.blockSize))
        let error = caughtError { try Self.readAll(bytes, "header-\(field)-\(bad).bsession") }
        #expect(error?.description.contains("block 0") == true, "\(String(describing: error))")
        #expect(error?.description.contains(field) == true, "\(String(describing: error))")
    }
}
