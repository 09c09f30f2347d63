import BackstrideTestSupport
import Foundation
import GaitValidation
import Testing

/// The whole library on `SampleData/realrun`: every trial is scored and reported, and each pool is
/// the sum of its trials. No accuracy floors here (the DSP sets those).
@Suite struct RealRunValidationTests {
    static let folder = Products.sample("realrun")
    static let heldOut = ["alc_sub02_tr01_v417_up05", "alc_sub02_tr05_v333_level00", "alc_sub02_tr09_v333_down05",
                          "alc_sub02_tr15_v333_down10", "mkr_bmc0041_v250"]

    static func recordingNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func everyRecordingIsATrialAndEachPoolIsTheSumOfItsTrials() throws {
        let validation = try DataSetValidation.run(path: Self.folder)
        #expect(validation.trials.map(\.name) == (try Self.recordingNames()))
        #expect(validation.trials.count == 18)
        #expect(validation.withoutReference.isEmpty && validation.heldOutNotFound.isEmpty)
        #expect(validation.trials.filter(\.isHeldOut).map(\.name) == Self.heldOut)
        #expect(validation.pools.map(\.name) == ["development", "held-out", "all"])
        #expect(validation.pools.map(\.trials.count) == [13, 5, 18])
        for pool in validation.pools {
            let trials = pool.trials.map { validation.metrics(of: $0) }
            func sum(_ value: (ValidationMetrics) -> Int) -> Int { trials.reduce(0) { $0 + value($1) } }
            let m = pool.metrics
            #expect(m.trialCount == pool.trials.count)
            #expect(m.referenceContactCount == sum(\.referenceContactCount))
            for index in m.contactDetection.indices {
                #expect(m.contactDetection[index].truePositives == sum { $0.contactDetection[index].truePositives })
                #expect(m.contactDetection[index].falsePositives == sum { $0.contactDetection[index].falsePositives })
                #expect(m.contactDetection[index].falseNegatives == sum { $0.contactDetection[index].falseNegatives })
            }
            #expect(m.contactTimingS.count == sum(\.contactTimingS.count))
            #expect(m.cadence.boutCount == sum(\.cadence.boutCount))
            #expect(m.side.count == sum(\.side.count) && m.side.confidentCount == sum(\.side.confidentCount))
            #expect(m.contactTimeS.count == sum(\.contactTimeS.count))
            #expect(m.finalContactS.count == sum(\.finalContactS.count))
            #expect(m.peakForceBW.count == sum(\.peakForceBW.count))
            let slopes = try #require(m.contactTimeBySlopeS)
            #expect(slopes.level.count + slopes.uphill.count + slopes.downhill.count == m.contactTimeS.count)
        }
        // The reference has every IC of every trial inside its bout, and a cadence for every bout.
        #expect(validation.pools.last?.metrics.referenceContactCount == 403)
        #expect(validation.pools.last?.metrics.cadence.boutCount == 18)
    }

    @Test func everyRenderingListsEveryTrialAndPool() throws {
        let report = ValidationReport(dataSets: [try DataSetValidation.run(path: Self.folder)])
        let text = report.text(), markdown = report.markdown(), html = report.html()
        for name in try Self.recordingNames() {
            #expect(text.contains(name) && markdown.contains(name) && html.contains(name), "\(name)")
        }
        for pool in ["development (13)", "held-out (5)", "all (18)"] {
            #expect(text.contains(pool) && markdown.contains(pool) && html.contains(pool), "\(pool)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("id=\"plot-realrun-ba-contact-time\"") && html.contains("id=\"plot-realrun-ic-error\""))
        #expect(!html.contains("<script"))

        let document = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(document["schema"] as? String == "backstride.validation/1")
        let set = try #require((document["data_sets"] as? [[String: Any]])?.first)
        let trials = try #require(set["trials"] as? [[String: Any]])
        #expect(trials.compactMap { $0["name"] as? String } == (try Self.recordingNames()))
        #expect(trials.filter { $0["held_out"] as? Bool == true }.count == 5)
        let pools = try #require(set["pools"] as? [[String: Any]])
        #expect(pools.compactMap { $0["name"] as? String } == ["development", "held-out", "all"])
        let all = try #require(pools.last?["metrics"] as? [String: Any])
        let trialSum = trials.compactMap { ($0["metrics"] as? [String: Any])?["reference_contact_count"] as? Int }.reduce(0, +)
        #expect(all["reference_contact_count"] as? Int == trialSum)
        #expect((all["contact_detection"] as? [[String: Any]])?.compactMap { $0["tolerance_s"] as? Double } == [0.025, 0.05, 0.1, 0.2])
    }
}
