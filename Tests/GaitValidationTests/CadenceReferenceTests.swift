import BackstrideTestSupport
import GaitDSP
import GaitValidation
import Testing

/// What the cadence error per bout compares (Docs/validation.md): mobgap's reference cadence is the
/// mean of 120 / stride time over the bout's strides, ours 60 / mean step time, so on the Test5
/// development trials a detector that returned the reference's own contacts would still score
/// about 1.1 steps/min. Only the development trials are read here.
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
        let error = try #require(trial.boutCadences.first).errorSpm
        #expect(error > 1 && error < 1.2, "a detector equal to the reference scores \(error) steps/min")
    }
}
