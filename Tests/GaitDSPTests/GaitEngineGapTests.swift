import Foundation
import GaitDSP
import GaitSynth
import Testing

/// Gaps in time cost nothing whatever their length, and times no session can have stay out of the
/// analysis (issue 13: a time column that jumps by 10¹² s took 98 s; 10¹⁴ s never finished).
@Suite struct GaitEngineGapTests {
    /// A 90 s run whose samples from 45 s on are moved `jumpS` later.
    static func analyseRunWithJump(_ jumpS: Double, configuration: GaitEngineConfiguration) -> (GaitAnalysis, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let (analysis, _) = SynthHarness.analyse(SynthHarness.run(durationS: 90, rate: 100, seed: 4), engine: configuration) { chunk in
            chunk.timeS = chunk.timeS.map { $0 >= 45 ? $0 + jumpS : $0 }
        }
        return (analysis, clock.now - start)
    }

    @Test(arguments: [1e12, 1e14])
    func aGapOfAnyLengthIsAnalysedInWellUnderASecond(jumpS: Double) {
        var configuration = GaitEngineConfiguration(nominalSampleRateHz: 100)
        configuration.maximumSessionSpanS = .infinity  // the gap itself, not the span limit, is under test
        let (analysis, elapsed) = Self.analyseRunWithJump(jumpS, configuration: configuration)
        #expect(elapsed < .milliseconds(900), "a \(jumpS) s gap took \(elapsed)")
        #expect(analysis.input.segmentCount == 2)
        #expect(analysis.steps.count > 100)
        #expect(analysis.summary.cadenceTrend.count >= 1)
    }

    @Test(arguments: [1e12, 1e300])
    func samplesBeyondTheSessionSpanAreLeftOutWithAWarning(jumpS: Double) throws {
        let (analysis, elapsed) = Self.analyseRunWithJump(jumpS, configuration: GaitEngineConfiguration(nominalSampleRateHz: 100))
        #expect(elapsed < .milliseconds(900))
        #expect(analysis.durationS < 46, "duration \(analysis.durationS) s")
        #expect(analysis.input.warnings.contains { $0.contains("7 days") }, "\(analysis.input.warnings)")
        #expect(analysis.bouts.allSatisfy { $0.startS.isFinite && $0.endS >= $0.startS && $0.pausedS >= 0 })
        // Every number of the document is finite, so it encodes (1e300 once failed with `invalidValue: -nan`).
        _ = try analysis.jsonData()
        #expect(!analysis.textSummary().contains(":-"), "\(analysis.textSummary())")
    }

    @Test func timesThatAreNotNumbersAreLeftOut() throws {
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 100))
        var times: [Double] = (0..<2000).map { Double($0) / 100 }
        times[700] = .nan
        times[701] = .infinity
        let zeros = [Float](repeating: 0, count: 2000), ones = [Float](repeating: 1, count: 2000)
        engine.process(IMUBlock(timeS: times, accelXG: zeros, accelYG: zeros, accelZG: ones))
        let analysis = engine.finish(input: InputDescription(source: "stream", format: "test"))
        #expect(engine.samplesLeftOutForTime == 2)
        #expect(analysis.durationS.isFinite && analysis.durationS < 20)
        _ = try analysis.jsonData()
    }

    @Test(arguments: [(0.0, "0:00:00"), (3_725.4, "1:02:05"), (-5.0, "-0:00:05"), (Double.nan, "–"), (1e300, "–"), (-1e300, "–")])
    func clockIsSaneForAnyNumber(seconds: Double, expected: String) {
        #expect(GaitAnalysis.clockText(seconds) == expected)
    }
}

/// A rate that no recording has, declared or implied by the time column, is analysed at the nearest
/// supported rate with a warning (issue 13, found by FuzzCSV: samples 6·10⁻³⁷ s apart implied
/// 1.6·10³⁶ Hz and trapped converting the decimation factor to Int).
@Suite struct GaitEngineRateTests {
    static func analyse(times: [Double], nominalRateHz: Double? = nil) -> GaitAnalysis {
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: nominalRateHz))
        let zeros = [Float](repeating: 0, count: times.count), ones = [Float](repeating: 1, count: times.count)
        engine.process(IMUBlock(timeS: times, accelXG: zeros, accelYG: zeros, accelZG: ones))
        return engine.finish(input: InputDescription(source: "stream", format: "test"))
    }

    @Test(arguments: [1.23e-202, 6.13e-37, 1e-9])
    func timesCloserThanAnyRecordingAreAnalysedAtTheHighestSupportedRate(spacingS: Double) throws {
        let analysis = Self.analyse(times: (0..<300).map { Double($0) * spacingS })
        #expect(analysis.sampleRateHz == 10_000)
        #expect(analysis.input.warnings.contains { $0.contains("implied by the time column") && $0.contains("10000 Hz") },
                "\(analysis.input.warnings)")
        _ = try analysis.jsonData()
    }

    @Test(arguments: [1e300, Double.infinity, 0.001])
    func aDeclaredRateOutsideTheSupportedRangeIsBroughtIntoIt(rateHz: Double) {
        let analysis = Self.analyse(times: (0..<300).map { Double($0) / 100 }, nominalRateHz: rateHz)
        #expect(GaitEngineConfiguration().supportedSampleRateHz.contains(analysis.sampleRateHz))
        #expect(analysis.input.warnings.contains { $0.contains("declared sampling rate") }, "\(analysis.input.warnings)")
    }
}
