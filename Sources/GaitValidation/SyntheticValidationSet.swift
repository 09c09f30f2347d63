import GaitDSP
import GaitSynth

/// The synthetic validation set: GaitSynth runs from an easy 2 m/s to 6 m/s, a walk and a
/// walk–run–walk, each with a reference sidecar in the format of the real data sets, made from
/// the generator's ground truth. Fixed seeds: the same build writes the same files.
///
/// GaitSynth knows each step's initial contact, foot and, while running, contact time (the
/// signal is built from it); final contact is initial contact + contact time. It does not
/// model the ground reaction force, and its walking contact time is a nominal 62 % of the
/// stride that the signal does not carry, so `peak_vgrf_bw` and walking contact times are null.
public enum SyntheticValidationSet {
    /// One recording of the set.
    public struct Trial: Sendable {
        /// The file stem.
        public var name: String
        /// What the recording shows, for the set's README.
        public var summary: String
        /// The generator's configuration.
        public var config: SynthConfig
    }

    /// The recordings: running at cadences and contact times typical of 2–6 m/s (about 155–205
    /// steps/min, 290–170 ms; design choice), then walking, and a walk–run–walk.
    public static let trials: [Trial] = [
        running("synth_run_2mps_155spm", speedMps: 2, cadenceSpm: 155, contactTimeS: 0.29, impactPeakG: 2.6, durationS: 60, seed: 101),
        running("synth_run_3mps_165spm", speedMps: 3, cadenceSpm: 165, contactTimeS: 0.26, impactPeakG: 2.9, durationS: 45, seed: 102),
        running("synth_run_4mps_178spm", speedMps: 4, cadenceSpm: 178, contactTimeS: 0.23, impactPeakG: 3.2, durationS: 30, seed: 103),
        running("synth_run_5mps_190spm", speedMps: 5, cadenceSpm: 190, contactTimeS: 0.20, impactPeakG: 3.5, durationS: 15, seed: 104),
        running("synth_run_6mps_205spm", speedMps: 6, cadenceSpm: 205, contactTimeS: 0.17, impactPeakG: 3.8, durationS: 8, seed: 105),
        Trial(name: "synth_walk_1p3mps_108spm", summary: "60 s walking at 108 steps/min, 1.3 m/s",
              config: SynthConfig(sampleRateHz: 100, seed: 106, segments: [.walking(durationS: 60, cadenceSpm: 108, speedMps: 1.3)])),
        Trial(name: "synth_walk_run_walk", summary: "20 s walking at 110 steps/min, 30 s running at 170 steps/min and 3.2 m/s, 20 s walking",
              config: SynthConfig(sampleRateHz: 100, seed: 107, segments: [
                  .walking(durationS: 20, cadenceSpm: 110, speedMps: 1.4), .running(durationS: 30, cadenceSpm: 170, speedMps: 3.2),
                  .walking(durationS: 20, cadenceSpm: 105, speedMps: 1.3),
              ])),
    ]

    private static func running(_ name: String, speedMps: Double, cadenceSpm: Double, contactTimeS: Double, impactPeakG: Double,
                                durationS: Double, seed: UInt64) -> Trial {
        var config = SynthConfig(sampleRateHz: 100, seed: seed, segments: [.running(durationS: durationS, cadenceSpm: cadenceSpm, speedMps: speedMps)])
        config.contactTimeS = contactTimeS
        config.impactPeakG = impactPeakG
        return Trial(name: name, summary: "\(Int(durationS)) s running at \(Int(cadenceSpm)) steps/min, \(Int(speedMps)) m/s, contact time \(Int(contactTimeS * 1000)) ms",
                     config: config)
    }

    /// The reference sidecar of a generated trial, from the generator's steps and bouts.
    public static func reference(for trial: Trial, steps: [SynthStep], bouts: [SynthBout]) -> ValidationReference {
        let gait = bouts.filter { $0.kind != .standing }
        let contacts = steps.map { step -> ValidationReference.Contact in
            let running = step.activity == .running
            return ValidationReference.Contact(
                initialContactS: step.initialContactS, side: step.side == .left ? .left : .right,
                finalContactS: running ? step.initialContactS + step.contactTimeS : nil,
                contactTimeS: running ? step.contactTimeS : nil, peakVerticalForceBW: nil)
        }
        let speeds = Set(trial.config.segments.filter { $0.kind != .standing }.map(\.speedMps))
        return ValidationReference(
            name: trial.name,
            kind: "synthetic (GaitSynth ground truth; no force model: peak_vgrf_bw and walking contact times are null)",
            recording: .init(activity: Set(gait.map(\.kind.rawValue)).sorted().joined(separator: ", "), speedMps: speeds.count == 1 ? speeds.first : nil),
            reference: .init(
                system: "GaitSynth ground truth (the generator's continuous model, not the sample grid)",
                walkingBouts: gait.enumerated().map { index, bout in
                    .init(id: index, startS: bout.startS, endS: bout.endS, averageCadenceSpm: bout.cadenceSpm, activity: bout.kind.rawValue)
                },
                initialContacts: contacts))
    }

    /// The README written into the set's folder: what it is, how it was made, what is null.
    public static let readme = """
    # Synthetic running and walking (GaitSynth ground truth)

    Made by `gait simulate --validation-set DIR` (fixed seeds: the same build writes the same files).
    Each `NAME.csv` (canonical CSV, 100 Hz, accelerometer and gyroscope, clip upright) has a
    reference `NAME.json` in the format of `SampleData/realrun` (Docs/validation.md), made from the
    generator's ground truth: every initial contact with its foot, and for running steps the contact
    time and the final contact (initial contact + contact time). GaitSynth has no ground reaction
    force model, and its walking contact time is nominal (not in the signal): `peak_vgrf_bw`, and
    walking contact times, are null.

    | recording | what it is |
    |---|---|

    """ + trials.map { "| `\($0.name)` | \($0.summary) |" }.joined(separator: "\n") + "\n"
}
