import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitValidation
import Testing

/// What the cadence error per bout compares (Docs/validation.md): mobgap's reference cadence is the
/// mean of 120 / stride time over the bout's strides, ours 60 / mean step time, so on the Test5
/// development trials a detector that returned the reference's own contacts would still score
/// about 1.1 steps/min, and nothing with ours computed like for like. Only the development
/// trials are read here.
@Suite struct CadenceReferenceTests {
    static func reference(_ name: String) throws -> ValidationReference {
        try ValidationReference.load(path: Products.sample("real/\(name).json"))
    }

    @Test(arguments: ["mobgap_HA001_Test5_Trial1", "mobgap_HA001_Test5_Trial2"])
    func mobgapBoutCadenceIsTheMeanOfStrideCadences(name: String) throws {
        let reference = try Self.reference(name)
        let bout = try #require(reference.reference?.walkingBouts?.first)
        let contacts = try #require(reference.reference?.initialContacts).map(\.initialContactS)
            .filter { $0 >= bout.startS - 1e-6 && $0 <= bout.endS + 1e-6 }
        let strideCadences = (0..<(contacts.count - 2)).map { 120 / (contacts[$0 + 2] - contacts[$0]) }
        let meanStrideCadence = strideCadences.reduce(0, +) / Double(strideCadences.count)
        #expect(abs(try #require(bout.averageCadenceSpm) - meanStrideCadence) < 1e-9)
    }

    /// Which estimator a reference's `avg_cadence_spm` is, read from its own contacts: mobgap's is
    /// the mean of stride cadences, `SampleData/realrun`'s 60 / mean step time.
    @Test func theReferenceEstimatorIsTheOneThatReproducesItsCadence() throws {
        #expect(try Self.reference("mobgap_HA001_Test5_Trial1").cadence(ofBoutAt: 0)?.estimator == .meanOfStrideCadences)
        let running = try ValidationReference.load(path: Products.sample("realrun/alc_sub02_tr00_v250_up10.json"))
        #expect(running.cadence(ofBoutAt: 0)?.estimator == .overMeanStepTime)
    }

    @Test(arguments: ["mobgap_HA001_Test5_Trial1", "mobgap_HA001_Test5_Trial2"])
    func theReferenceContactsThemselvesScoreAboutOneStepPerMinute(name: String) throws {
        let reference = try Self.reference(name)
        let contacts = try #require(reference.reference?.initialContacts)
        let steps = contacts.indices.map { i in
            GaitStep(initialContactS: contacts[i].initialContactS, side: contacts[i].side, sideConfidence: 1, activity: .walking,
                     stepTimeS: i == 0 ? nil : Float(contacts[i].initialContactS - contacts[i - 1].initialContactS),
                     impactPeakG: 1.3, brakingPeakG: 0.3, brakingVelocityLossMPS: 0.3, pelvisTiltDeg: 0)
        }
        let trial = TrialEvidence(name: name, steps: steps, reference: reference, isHeldOut: false)
        let bout = try #require(trial.boutCadences.first)
        #expect(bout.errorSpm > 1 && bout.errorSpm < 1.2, "a detector equal to the reference scores \(bout.errorSpm) steps/min")
        // Like for like (the mean of 120 / stride time over our strides), it scores nothing.
        #expect(bout.likeForLikeErrorSpm < 1e-6, "like for like, a detector equal to the reference scores \(bout.likeForLikeErrorSpm) steps/min")
    }

    /// A bout whose step times cycle 0.4, 0.5, 0.6 s, its reference cadence the mean of its stride
    /// cadences, with the tenth contact missed: the strides across the gap (the step after it has
    /// no step time, as the analysis gives it) are left out of the like-for-like cadence, not
    /// counted as strides of three steps.
    @Test func stridesAcrossAMissedContactAreLeftOut() throws {
        let cycle = [0.4, 0.5, 0.6]
        var times = [0.5]
        for i in 0..<20 { times.append(times[i] + cycle[i % 3]) }
        func meanOfStrideCadences(_ strides: [(Double, Double)]) -> Double { strides.map { 120 / ($0.1 - $0.0) }.reduce(0, +) / Double(strides.count) }
        let referenceCadence = meanOfStrideCadences((0..<(times.count - 2)).map { (times[$0], times[$0 + 2]) })
        let json = """
            {"reference": {"walking_bouts": [{"wb_id": 0, "start_s": 0.5, "end_s": \(times[times.count - 1] + 0.01), "avg_cadence_spm": \(referenceCadence)}],
                           "initial_contacts": [\(times.map { "{\"t_s\": \($0)}" }.joined(separator: ", "))]}}
            """
        let reference = try ValidationReference.decode(Data(json.utf8), file: "cycle.json")
        #expect(reference.cadence(ofBoutAt: 0)?.estimator == .meanOfStrideCadences)
        let kept = times.indices.filter { $0 != 9 }
        var steps = kept.map { i in
            GaitStep(initialContactS: times[i], side: nil, sideConfidence: 0, activity: .walking, stepTimeS: i == 0 ? nil : Float(times[i] - times[i - 1]),
                     impactPeakG: 1.3, brakingPeakG: 0.3, brakingVelocityLossMPS: 0.3, pelvisTiltDeg: 0)
        }
        steps[9].stepTimeS = nil
        let bout = try #require(TrialEvidence(name: "cycle", steps: steps, reference: reference, isHeldOut: false).boutCadences.first)
        // The strides of contacts (k, k + 2) that neither span nor start on either side of the gap.
        let expected = meanOfStrideCadences((0..<(times.count - 2)).filter { ![7, 8, 9].contains($0) }.map { (times[$0], times[$0 + 2]) })
        let withGapStrides = meanOfStrideCadences((0..<(kept.count - 2)).map { (times[kept[$0]], times[kept[$0 + 2]]) })
        let likeForLike = try #require(bout.likeForLikeSpm)
        #expect(abs(likeForLike - expected) < 1e-9, "like for like \(likeForLike), expected \(expected)")
        #expect(abs(withGapStrides - expected) > 1, "the gap must matter: \(withGapStrides) against \(expected)")
    }
}
