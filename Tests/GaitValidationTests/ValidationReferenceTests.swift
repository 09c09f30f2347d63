import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitValidation
import Testing

/// Reading reference sidecars: the real formats, NaN, and errors that name the file and the field.
@Suite struct ValidationReferenceTests {
    static func decode(_ json: String) throws(GaitValidationError) -> ValidationReference {
        try ValidationReference.decode(Data(json.utf8), file: "bad.json")
    }

    static func error(_ json: String) -> GaitValidationError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func nanNullAndAbsentMeasurementsAreUnknownAndTheSideIsSideOrFoot() throws {
        let reference = try Self.decode("""
        {"recording": {"speed_mps": 2.5, "treadmill_slope_deg": -5.0},
         "reference": {"walking_bouts": [{"wb_id": 0, "start_s": 0.0, "end_s": 4.8, "avg_cadence_spm": NaN}],
                       "initial_contacts": [
                         {"t_s": 0.05, "side": null, "foot": null, "final_contact_t_s": 0.32, "contact_time_s": NaN, "peak_vgrf_bw": 2.02},
                         {"t_s": 0.40, "foot": "left"},
                         {"t_s": 0.75, "side": "right", "contact_time_s": null}],
                       "per_wb_step_stats": [{"wb_id": 0, "cadence_from_ic_spm": 190.4}]}}
        """)
        let contacts = try #require(reference.reference?.initialContacts)
        #expect(contacts.map(\.side) == [nil, .left, .right])
        #expect(contacts[0].contactTimeS == nil && contacts[0].finalContactS == 0.32 && contacts[0].peakVerticalForceBW == 2.02)
        #expect(contacts[2].contactTimeS == nil)
        #expect(reference.recording?.treadmillSlopeDeg == -5)
        // avg_cadence_spm is NaN: the cadence comes from per_wb_step_stats of the same bout.
        #expect(reference.cadenceSpm(ofBoutAt: 0) == 190.4)
        #expect(reference.hasGroundTruth)
    }

    @Test(arguments: [
        (#"{"reference": {"walking_bouts": [], "initial_contacts": [{"t_s": 0.1}, {"t_s": "0.5"}]}}"#, "reference.initial_contacts[1].t_s: not a number"),
        (#"{"reference": {"walking_bouts": [{"end_s": 3}], "initial_contacts": []}}"#, "reference.walking_bouts[0].start_s: missing"),
        (#"{"reference": {"walking_bouts": [], "initial_contacts": [{"t_s": null}]}}"#, "reference.initial_contacts[0].t_s: null where a number is required"),
        (#"{"reference": {"walking_bouts": [], "initial_contacts": [{"t_s": 1, "side": "middle"}]}}"#, "reference.initial_contacts[0].side: "),
        (#"{"reference": {"walking_bouts": [], "initial_contacts": [{"t_s": NaN}]}}"#, "reference.initial_contacts[0].t_s: nan where a finite number is required"),
        (#"{"reference": {"walking_bouts": [{"start_s": 5, "end_s": 3}], "initial_contacts": []}}"#, "reference.walking_bouts[0].end_s: end_s (3.0) is before start_s (5.0)"),
        (#"{"recording": {"speed_mps": "fast"}}"#, "recording.speed_mps: not a number"),
    ])
    func aMalformedValueIsNamedByFileAndJsonPath(json: String, message: String) throws {
        let error = try #require(Self.error(json))
        guard case .malformedReference(let file, _, _) = error else { Issue.record("expected malformedReference, got \(error)"); return }
        #expect(file == "bad.json")
        #expect(error.description.hasPrefix("bad.json: " + message), "\(error.description)")
    }

    @Test func textThatIsNotJsonIsUnreadableNamingTheFile() throws {
        let error = try #require(Self.error("{\"reference\": [1, 2"))
        guard case .unreadableReference(let file, _) = error else { Issue.record("expected unreadableReference, got \(error)"); return }
        #expect(file == "bad.json")
    }

    @Test func aSidecarWithoutReferenceContactsHasNoGroundTruth() throws {
        let reference = try Self.decode(#"{"name": "gaitpy_demo", "reference": {"kind": "NOT ground truth: gaitpy's output", "ic_t_s": [1.0, 1.5]}}"#)
        #expect(!reference.hasGroundTruth)
        #expect(reference.reference?.kind == "NOT ground truth: gaitpy's output")
    }

    @Test func theShippedSidecarsDecodeIncludingNaN() throws {
        let test11 = try ValidationReference.load(path: Products.sample("real/mobgap_HA001_Test11_Trial1.json"))
        #expect(test11.reference?.initialContacts?.count == 63)
        #expect(test11.reference?.walkingBouts?.count == 6)
        #expect(test11.reference?.initialContacts?.allSatisfy { $0.side != nil } == true)
        let run = try ValidationReference.load(path: Products.sample("realrun/alc_sub02_tr00_v250_up10.json"))
        #expect(run.recording == .init(activity: "treadmill running", speedMps: 2.5, treadmillSlopeDeg: 10))
        #expect(run.reference?.initialContacts?.first?.contactTimeS == 0.2775)
    }

    @Test func aWrittenReferenceReadsBackUnchanged() throws {
        let reference = ValidationReference(
            name: "x", kind: "synthetic", recording: .init(activity: "running", speedMps: 3),
            reference: .init(walkingBouts: [.init(id: 0, startS: 0, endS: 10, averageCadenceSpm: 170, activity: "running")],
                             initialContacts: [.init(initialContactS: 0.1, side: .left, finalContactS: 0.35, contactTimeS: 0.25),
                                               .init(initialContactS: 0.45, side: .right)]))
        let data = try reference.jsonData()
        #expect(try ValidationReference.decode(data, file: "x.json") == reference)
        // Unknown values are written as null, as the reference files do.
        #expect(String(decoding: data, as: UTF8.self).contains("\"peak_vgrf_bw\" : null"))
    }
}
