import BackstrideTestSupport
import Foundation
import GaitValidation
import Testing

/// Finding the recordings of a folder, and the errors for a folder that cannot be validated.
@Suite struct ValidationFolderTests {
    @Test func aMissingFolderIsNamed() {
        #expect(throws: GaitValidationError.folderMissing(path: "/nonexistent/realrun")) {
            try ValidationFolder.scan(path: "/nonexistent/realrun")
        }
    }

    @Test func aFolderWithoutAnyRecordingAndReferencePairSaysWhatItHas() throws {
        let folder = try temporaryDirectory(prefix: "validation-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "t_s,ax_g,ay_g,az_g\n0,1,0,0\n".write(toFile: folder + "/lonely.csv", atomically: true, encoding: .utf8)
        try #"{"reference": {"kind": "not ground truth"}}"#.write(toFile: folder + "/other.json", atomically: true, encoding: .utf8)
        try "t_s,ax_g,ay_g,az_g\n0,1,0,0\n".write(toFile: folder + "/other.csv", atomically: true, encoding: .utf8)
        #expect(throws: GaitValidationError.noReferencedRecording(folder: folder, withoutReference: ["lonely", "other"])) {
            try ValidationFolder.scan(path: folder)
        }
    }

    @Test func aMalformedReferenceStopsTheScanNamingFileAndField() throws {
        let folder = try temporaryDirectory(prefix: "validation-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "t_s,ax_g,ay_g,az_g\n0,1,0,0\n".write(toFile: folder + "/run.csv", atomically: true, encoding: .utf8)
        try #"{"reference": {"walking_bouts": [{"start_s": 0, "end_s": 1}], "initial_contacts": [{"t_s": "soon"}]}}"#
            .write(toFile: folder + "/run.json", atomically: true, encoding: .utf8)
        #expect(throws: GaitValidationError.malformedReference(file: folder + "/run.json", path: "reference.initial_contacts[0].t_s", problem: "not a number")) {
            try ValidationFolder.scan(path: folder)
        }
    }

    @Test func contactsWithoutBoutsAreMalformed() throws {
        let folder = try temporaryDirectory(prefix: "validation-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "t_s,ax_g,ay_g,az_g\n0,1,0,0\n".write(toFile: folder + "/run.csv", atomically: true, encoding: .utf8)
        try #"{"reference": {"initial_contacts": [{"t_s": 0.5}]}}"#.write(toFile: folder + "/run.json", atomically: true, encoding: .utf8)
        let error = #expect(throws: GaitValidationError.self) { try ValidationFolder.scan(path: folder) }
        #expect(error?.description.hasPrefix(folder + "/run.json: reference.walking_bouts: missing") == true)
    }

    @Test func theRealDataFolderListsItsSidecarsWithoutGroundTruth() throws {
        let folder = try ValidationFolder.scan(path: Products.sample("real"))
        #expect(folder.recordings.map(\.name) == ["mobgap_HA001_Test11_Trial1", "mobgap_HA001_Test5_Trial1", "mobgap_HA001_Test5_Trial2"])
        #expect(folder.withoutReference.map(\.name) == ["gaitpy_demo_GENEActiv_lowerback", "skdh_repo_gait_input", "skdh_repo_gait_input2"])
        #expect(folder.heldOut?.names == ["mobgap_HA001_Test11_Trial1"])
    }
}
