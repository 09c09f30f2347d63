import GaitDSP

/// A recording's reference: the JSON sidecar `NAME.json` beside `NAME.csv`, in the format of
/// `SampleData/realrun` and `SampleData/real` (Docs/validation.md).
///
/// Only the fields the validation uses are read; every other field of a sidecar (source,
/// licence, axes, strides, summaries) is left alone. JSON keys are spelled out (not converted
/// from snake case) so that a decoding error names the key as it is written in the file.
public struct ValidationReference: Sendable, Codable, Equatable {
    /// The recording's name (the file stem), if the sidecar states it.
    public var name: String?
    /// What the recording is, e.g. "real accelerometer" or "synthetic (GaitSynth)".
    public var kind: String?
    /// How it was recorded: activity, treadmill speed and slope.
    public var recording: Conditions?
    /// The reference events; a sidecar without `reference.initial_contacts` has no ground truth.
    public var reference: Events?

    /// Creates a reference document.
    public init(name: String? = nil, kind: String? = nil, recording: Conditions? = nil, reference: Events? = nil) {
        self.name = name
        self.kind = kind
        self.recording = recording
        self.reference = reference
    }

    /// Whether the sidecar holds ground truth (initial contacts and the bouts they are counted in).
    public var hasGroundTruth: Bool { reference?.initialContacts != nil }

    /// The recording conditions the metrics are grouped by.
    public struct Conditions: Sendable, Codable, Equatable {
        /// What was done, e.g. "treadmill running", "walking".
        public var activity: String?
        /// Treadmill or segment speed, m/s.
        public var speedMps: Double?
        /// Treadmill slope, degrees (+ uphill, − downhill); nil off a treadmill.
        public var treadmillSlopeDeg: Double?

        /// Creates conditions.
        public init(activity: String? = nil, speedMps: Double? = nil, treadmillSlopeDeg: Double? = nil) {
            self.activity = activity
            self.speedMps = speedMps
            self.treadmillSlopeDeg = treadmillSlopeDeg
        }

        enum CodingKeys: String, CodingKey {
            case activity = "activity"
            case speedMps = "speed_mps"
            case treadmillSlopeDeg = "treadmill_slope_deg"
        }

        /// Reads conditions; NaN and null are unknown.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            activity = try c.decodeIfPresent(String.self, forKey: .activity)
            speedMps = try c.decodeMeasurement(forKey: .speedMps)
            treadmillSlopeDeg = try c.decodeMeasurement(forKey: .treadmillSlopeDeg)
        }
    }

    /// The events the reference system measured.
    public struct Events: Sendable, Codable, Equatable {
        /// The reference system, e.g. "force-measuring treadmill".
        public var system: String?
        /// What the reference is when it is not ground truth (e.g. another package's output).
        public var kind: String?
        /// The stretches of gait the contacts were measured in; detection is scored inside them.
        public var walkingBouts: [Bout]?
        /// Every initial contact the reference saw, in time order.
        public var initialContacts: [Contact]?
        /// Step statistics per bout (cadence from the reference contacts).
        public var perBoutSteps: [BoutSteps]?

        /// Creates reference events.
        public init(system: String? = nil, kind: String? = nil, walkingBouts: [Bout]? = nil,
                    initialContacts: [Contact]? = nil, perBoutSteps: [BoutSteps]? = nil) {
            self.system = system
            self.kind = kind
            self.walkingBouts = walkingBouts
            self.initialContacts = initialContacts
            self.perBoutSteps = perBoutSteps
        }

        enum CodingKeys: String, CodingKey {
            case system = "system"
            case kind = "kind"
            case walkingBouts = "walking_bouts"
            case initialContacts = "initial_contacts"
            case perBoutSteps = "per_wb_step_stats"
        }
    }

    /// One reference bout of walking or running (`walking_bouts[]`, a historical name).
    public struct Bout: Sendable, Codable, Equatable {
        /// The bout's id (`wb_id`), which `per_wb_step_stats` refers to.
        public var id: Int?
        /// Start, seconds on the recording's `t_s` clock.
        public var startS: Double
        /// End, seconds on the recording's `t_s` clock.
        public var endS: Double
        /// The reference's mean cadence over the bout, steps/min.
        public var averageCadenceSpm: Double?
        /// What was done in the bout ("walking", "running").
        public var activity: String?

        /// Creates a bout.
        public init(id: Int? = nil, startS: Double, endS: Double, averageCadenceSpm: Double? = nil, activity: String? = nil) {
            self.id = id
            self.startS = startS
            self.endS = endS
            self.averageCadenceSpm = averageCadenceSpm
            self.activity = activity
        }

        enum CodingKeys: String, CodingKey {
            case id = "wb_id"
            case startS = "start_s"
            case endS = "end_s"
            case averageCadenceSpm = "avg_cadence_spm"
            case activity = "activity"
        }

        /// Reads a bout; start and end must be finite, in order.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(Int.self, forKey: .id)
            startS = try c.decodeFinite(forKey: .startS)
            endS = try c.decodeFinite(forKey: .endS)
            guard endS >= startS else {
                throw DecodingError.dataCorruptedError(forKey: .endS, in: c, debugDescription: "end_s (\(endS)) is before start_s (\(startS))")
            }
            averageCadenceSpm = try c.decodeMeasurement(forKey: .averageCadenceSpm)
            activity = try c.decodeIfPresent(String.self, forKey: .activity)
        }
    }

    /// One reference initial contact; measurements the reference could not make are nil.
    public struct Contact: Sendable, Codable, Equatable {
        /// Initial contact, seconds on the recording's `t_s` clock.
        public var initialContactS: Double
        /// The foot that lands (`side`, or `foot` as mobgap names it); nil where unknown.
        public var side: FootSide?
        /// Final contact (toe-off) of the same foot, seconds on the `t_s` clock.
        public var finalContactS: Double?
        /// Contact time (initial to final contact), seconds.
        public var contactTimeS: Double?
        /// Peak vertical ground reaction force of the contact, body weights.
        public var peakVerticalForceBW: Double?

        /// Creates a contact.
        public init(initialContactS: Double, side: FootSide? = nil, finalContactS: Double? = nil,
                    contactTimeS: Double? = nil, peakVerticalForceBW: Double? = nil) {
            self.initialContactS = initialContactS
            self.side = side
            self.finalContactS = finalContactS
            self.contactTimeS = contactTimeS
            self.peakVerticalForceBW = peakVerticalForceBW
        }

        enum CodingKeys: String, CodingKey {
            case initialContactS = "t_s"
            case side = "side"
            case foot = "foot"
            case finalContactS = "final_contact_t_s"
            case contactTimeS = "contact_time_s"
            case peakVerticalForceBW = "peak_vgrf_bw"
        }

        /// Reads a contact; the side is `side`, else `foot`; NaN and null measurements are nil.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            initialContactS = try c.decodeFinite(forKey: .initialContactS)
            side = try c.decodeIfPresent(FootSide.self, forKey: .side) ?? c.decodeIfPresent(FootSide.self, forKey: .foot)
            finalContactS = try c.decodeMeasurement(forKey: .finalContactS)
            contactTimeS = try c.decodeMeasurement(forKey: .contactTimeS)
            peakVerticalForceBW = try c.decodeMeasurement(forKey: .peakVerticalForceBW)
        }

        /// Writes every key, null where unknown, as the reference files do.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(initialContactS, forKey: .initialContactS)
            try c.encode(side, forKey: .side)
            try c.encode(finalContactS, forKey: .finalContactS)
            try c.encode(contactTimeS, forKey: .contactTimeS)
            try c.encode(peakVerticalForceBW, forKey: .peakVerticalForceBW)
        }
    }

    /// Step statistics of one reference bout (`per_wb_step_stats[]`).
    public struct BoutSteps: Sendable, Codable, Equatable {
        /// The bout's id (`wb_id`).
        public var boutID: Int?
        /// 60 / mean step time of the reference contacts in the bout, steps/min.
        public var cadenceFromContactsSpm: Double?

        /// Creates bout step statistics.
        public init(boutID: Int? = nil, cadenceFromContactsSpm: Double? = nil) {
            self.boutID = boutID
            self.cadenceFromContactsSpm = cadenceFromContactsSpm
        }

        enum CodingKeys: String, CodingKey {
            case boutID = "wb_id"
            case cadenceFromContactsSpm = "cadence_from_ic_spm"
        }

        /// Reads bout step statistics; a NaN cadence is unknown.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            boutID = try c.decodeIfPresent(Int.self, forKey: .boutID)
            cadenceFromContactsSpm = try c.decodeMeasurement(forKey: .cadenceFromContactsSpm)
        }
    }

    enum CodingKeys: String, CodingKey {
        case name = "name"
        case kind = "kind"
        case recording = "recording"
        case reference = "reference"
    }
}

extension ValidationReference {
    /// The reference cadence of bout `index`, steps/min: its `avg_cadence_spm`, else the
    /// `cadence_from_ic_spm` of the `per_wb_step_stats` entry with the same `wb_id`.
    public func cadenceSpm(ofBoutAt index: Int) -> Double? {
        cadence(ofBoutAt: index)?.spm
    }

    /// How a reference computed a bout's cadence (Docs/validation.md).
    public enum CadenceEstimator: String, Sendable, Codable {
        /// The mean of 120 / stride time over the bout's strides (mobgap's `avg_cadence_spm`:
        /// `CadenceReferenceTests` reproduces it from the reference contacts).
        case meanOfStrideCadences = "mean_of_120_over_stride_time"
        /// 60 / the mean step time of the bout's contacts (`cadence_from_ic_spm`, and
        /// `SampleData/realrun`'s `avg_cadence_spm`).
        case overMeanStepTime = "60_over_mean_step_time"
    }

    /// The reference cadence of bout `index` and how it was computed: `cadence_from_ic_spm` is 60
    /// / mean step time; `avg_cadence_spm` is whichever of the two estimators, applied to the
    /// reference's own contacts in the bout, comes closer to it (60 / mean step time when the
    /// bout has fewer than three contacts).
    public func cadence(ofBoutAt index: Int) -> (spm: Double, estimator: CadenceEstimator)? {
        guard let bouts = reference?.walkingBouts, bouts.indices.contains(index) else { return nil }
        let bout = bouts[index]
        if let cadence = bout.averageCadenceSpm {
            let times = (reference?.initialContacts ?? []).map(\.initialContactS)
                .filter { $0 >= bout.startS - 1e-6 && $0 <= bout.endS + 1e-6 }.sorted()
            guard times.count >= 3 else { return (cadence, .overMeanStepTime) }
            let overMeanStep = 60 * Double(times.count - 1) / (times[times.count - 1] - times[0])
            let strides = (0..<(times.count - 2)).map { 120 / (times[$0 + 2] - times[$0]) }
            let meanOfStrides = strides.reduce(0, +) / Double(strides.count)
            return (cadence, abs(meanOfStrides - cadence) < abs(overMeanStep - cadence) ? .meanOfStrideCadences : .overMeanStepTime)
        }
        return reference?.perBoutSteps?.first { $0.boutID != nil && $0.boutID == bout.id }?.cadenceFromContactsSpm
            .map { ($0, .overMeanStepTime) }
    }
}
