/// What a flag is about: one of the back-relevant patterns the inference layer looks for.
public enum FlagKind: String, Sendable, Codable, CaseIterable {
    /// Low cadence with hard braking, long contact or a high loading rate (Heiderscheit et al. 2011).
    case overstriding
    /// Forward tilt of the pelvis against the standing calibration or the runner's baseline, or growing in the run.
    case posture
    /// Left/right difference beyond normal variation in one measure (Robinson et al. 1987 symmetry index).
    case asymmetry
    /// A shoe's impact and loading rate rising against its first runs, or a high distance.
    case shoeWear = "shoe_wear"
    /// Impact well above the runner's usual (hard surface) or above the population range.
    case highImpact = "high_impact"
    /// Training load rising too fast (acute:chronic ratio, Gabbett 2016; weekly increase, Nielsen et al. 2014).
    case overuse
    /// Form that leaves its early-run range late in the run (fatigue), with the time it starts.
    case lateRunDegradation = "late_run_degradation"
    /// A run that starts at full intensity without a gradual start.
    case noWarmUp = "no_warm_up"
    /// A measurement that moves with the runner's pain log across sessions (a hypothesis for the physiotherapist).
    case painLink = "pain_link"
}

/// How much a flag matters, lowest first.
public enum FlagSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    /// Worth knowing; no change needed yet.
    case low
    /// Worth acting on: the advice applies.
    case moderate
    /// Clearly beyond the threshold or persistent: act on it, and consider a professional.
    case high

    var rank: Int {
        switch self {
        case .low: 0
        case .moderate: 1
        case .high: 2
        }
    }

    public static func < (a: FlagSeverity, b: FlagSeverity) -> Bool { a.rank < b.rank }
}

/// What a flag's measurements were compared with.
public enum FlagReferenceKind: String, Sendable, Codable {
    /// A published or project threshold for runners in general (used until a baseline exists).
    case population
    /// The runner's own normal, learned from their earlier sessions.
    case runnerBaseline = "runner_baseline"
    /// The shoe's first runs.
    case shoeFirstRuns = "shoe_first_runs"
    /// The early part of the same run.
    case earlyRun = "early_run"
    /// The runner's previous weeks of training.
    case trainingHistory = "training_history"
    /// The runner's pain log across sessions.
    case painLog = "pain_log"
}

/// The reference a flag compares with, said in words and numbers.
public struct FlagReference: Sendable, Codable, Equatable {
    /// What kind of reference it is.
    public var kind: FlagReferenceKind
    /// One line a physiotherapist can read: what the reference is and where its threshold comes from.
    public var description: String
    /// Number of sessions the reference was learned from; nil for population thresholds.
    public var sessionCount: Int?

    /// Creates a reference.
    public init(kind: FlagReferenceKind, description: String, sessionCount: Int? = nil) {
        self.kind = kind
        self.description = description
        self.sessionCount = sessionCount
    }

    enum CodingKeys: String, CodingKey {
        case kind = "kind"
        case description = "description"
        case sessionCount = "session_count"
    }
}

/// One measurement behind a flag: its value, what it was compared with, and the threshold.
public struct FlagEvidence: Sendable, Codable, Equatable {
    /// Machine name of the measurement, e.g. "cadence_spm" or "impact_peak_g.symmetry_index_pct".
    public var measure: String
    /// The measured value, in `unit`.
    public var value: Double
    /// Unit of `value`, `reference` and `threshold` (e.g. "steps/min", "g", "%", "deg").
    public var unit: String
    /// The reference value it was compared with (baseline median, first-run median, early-run value); nil for a plain threshold.
    public var reference: Double?
    /// The threshold the value crossed (in the direction of `comparison`), or did not cross for supporting evidence.
    public var threshold: Double?
    /// How the value relates to the threshold: "above", "below", "beyond" (either way) or "info".
    public var comparison: String
    /// Whether this measurement crossed its threshold (false: shown for context).
    public var crossed: Bool

    /// Creates evidence.
    public init(measure: String, value: Double, unit: String, reference: Double? = nil, threshold: Double? = nil,
                comparison: String, crossed: Bool) {
        self.measure = measure
        self.value = value
        self.unit = unit
        self.reference = reference
        self.threshold = threshold
        self.comparison = comparison
        self.crossed = crossed
    }

    enum CodingKeys: String, CodingKey {
        case measure = "measure"
        case value = "value"
        case unit = "unit"
        case reference = "reference"
        case threshold = "threshold"
        case comparison = "comparison"
        case crossed = "crossed"
    }
}

/// One point of a trend behind a flag (a minute of the run, or a session of the history).
public struct FlagTrendPoint: Sendable, Codable, Equatable {
    /// Position: seconds into the run, or days since the first session of the history.
    public var x: Double
    /// Value at that point, in the evidence unit.
    public var value: Double

    /// Creates a point.
    public init(x: Double, value: Double) {
        self.x = x
        self.value = value
    }
}

/// An explainable finding: what was seen, compared with what, how sure, and what to do.
///
/// A flag never diagnoses. Its advice is general running advice; when the pattern is serious or
/// persistent, `seeProfessional` is true and the advice says to see a physiotherapist or doctor.
public struct GaitFlag: Sendable, Codable, Equatable {
    /// Stable identifier: the same finding gets the same id in every session (e.g. "asymmetry.impact_peak_g").
    public var id: String
    /// What the flag is about.
    public var kind: FlagKind
    /// How much it matters.
    public var severity: FlagSeverity
    /// How sure the finding is, 0–1 (amount of data, margin over the threshold, side confidence).
    public var confidence: Double
    /// One-line headline for the runner.
    public var title: String
    /// Two or three sentences that explain the finding with its numbers.
    public var explanation: String
    /// What the measurements were compared with.
    public var reference: FlagReference
    /// The measurements behind the flag.
    public var evidence: [FlagEvidence]
    /// Where in the run or the history the pattern shows (for plots); empty when not applicable.
    public var trend: [FlagTrendPoint]
    /// Side concerned, "left" or "right", when the flag is about one side.
    public var side: String?
    /// Seconds into the session from which the pattern holds (late-run degradation), when known.
    public var onsetS: Double?
    /// Plain advice, most useful first.
    public var advice: [String]
    /// Whether the advice includes seeing a physiotherapist or doctor (serious or persistent).
    public var seeProfessional: Bool

    /// Creates a flag.
    public init(id: String, kind: FlagKind, severity: FlagSeverity, confidence: Double, title: String,
                explanation: String, reference: FlagReference, evidence: [FlagEvidence],
                trend: [FlagTrendPoint] = [], side: String? = nil, onsetS: Double? = nil,
                advice: [String], seeProfessional: Bool = false) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.confidence = min(1, max(0, confidence))
        self.title = title
        self.explanation = explanation
        self.reference = reference
        self.evidence = evidence
        self.trend = trend
        self.side = side
        self.onsetS = onsetS
        self.advice = advice
        self.seeProfessional = seeProfessional
    }

    enum CodingKeys: String, CodingKey {
        case id = "id"
        case kind = "kind"
        case severity = "severity"
        case confidence = "confidence"
        case title = "title"
        case explanation = "explanation"
        case reference = "reference"
        case evidence = "evidence"
        case trend = "trend"
        case side = "side"
        case onsetS = "onset_s"
        case advice = "advice"
        case seeProfessional = "see_professional"
    }
}
