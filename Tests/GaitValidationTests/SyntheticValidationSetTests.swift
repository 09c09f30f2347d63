import BackstrideTestSupport
import Foundation
import GaitSynth
import GaitValidation
import Testing

/// The synthetic validation set: its references carry the generator's ground truth in the real
/// data sets' format, and a folder of it validates end to end.
@Suite struct SyntheticValidationSetTests {
    @Test func theSetSpansRunningFromTwoToSixMetresPerSecondAndWalkingWithFixedSeeds() {
        let trials = SyntheticValidationSet.trials
        #expect(Set(trials.map(\.name)).count == trials.count)
        #expect(Set(trials.map(\.config.seed)).count == trials.count)
        let running = trials.flatMap(\.config.segments).filter { $0.kind == .running }
        #expect(Set(running.map(\.speedMps)).isSuperset(of: [2, 3, 4, 5, 6]))
        #expect(running.allSatisfy { $0.cadenceSpm >= 155 && $0.cadenceSpm <= 205 })
        #expect(trials.contains { $0.config.segments.contains { $0.kind == .walking } })
        #expect(trials.allSatisfy { $0.config.nominalDurationS >= 5 && $0.config.nominalDurationS <= 70 })
    }

    @Test func aReferenceHoldsEveryTrueContactWithItsSideAndRunningContactTime() throws {
        let trial = try #require(SyntheticValidationSet.trials.first { $0.name == "synth_walk_run_walk" })
        let recording = synthesize(trial.config)
        let reference = SyntheticValidationSet.reference(for: trial, steps: recording.steps, bouts: recording.bouts)
        let contacts = try #require(reference.reference?.initialContacts)
        #expect(contacts.count == recording.steps.count)
        for (contact, step) in zip(contacts, recording.steps) {
            #expect(contact.initialContactS == step.initialContactS)
            #expect(contact.side?.rawValue == step.side.rawValue)
            #expect(contact.peakVerticalForceBW == nil)
            if step.activity == .running {
                #expect(contact.contactTimeS == step.contactTimeS && contact.finalContactS == step.initialContactS + step.contactTimeS)
            } else {
                #expect(contact.contactTimeS == nil && contact.finalContactS == nil)
            }
        }
        #expect(reference.reference?.walkingBouts?.map(\.activity) == ["walking", "running", "walking"])
        #expect(try ValidationReference.decode(reference.jsonData(), file: "x.json") == reference)
    }

    @Test func aFolderOfTheSetValidatesEndToEnd() throws {
        let folder = try temporaryDirectory(prefix: "synthetic-validation")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trials = SyntheticValidationSet.trials.filter { ["synth_run_5mps_190spm", "synth_run_6mps_205spm"].contains($0.name) }
        for trial in trials {
            _ = try SyntheticRun.csv(trial.config, in: folder, name: trial.name)
            let recording = synthesize(trial.config)
            try SyntheticValidationSet.reference(for: trial, steps: recording.steps, bouts: recording.bouts).jsonData()
                .write(to: URL(fileURLWithPath: folder + "/" + trial.name + ".json"))
        }
        let validation = try DataSetValidation.run(path: folder)
        #expect(validation.trials.map(\.name) == trials.map(\.name))
        #expect(validation.pools.map(\.name) == ["all"])
        let all = try #require(validation.pools.first).metrics
        #expect(all.referenceContactCount == validation.trials.reduce(0) { $0 + $1.referenceContactCount })
        #expect(all.side.count + all.side.unlabelledCount == all.contactTimingS.count)
    }
}
