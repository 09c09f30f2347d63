/// What a finding is about: one of the patterns the inference layer looks for. (The JSON calls
/// this `topic`; `kind` says whether a finding is a warning, an observation or information.)
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
    /// The runner's own pain: high, rising over sessions, or lasting into the next day. The one
    /// finding that says to see a physiotherapist or doctor.
    case pain
    /// Pelvic rotation per stride (gyroscope), shown as information.
    case pelvicRotation = "pelvic_rotation"
    /// The clip sat differently from the runner's usual: a left/right change then is the clip's.
    case clipMoved = "clip_moved"
}

/// Whether a finding is a warning, an observation or information.
public enum FindingKind: String, Sendable, Codable, CaseIterable {
    /// The measure goes with back pain or injury in the literature (weak evidence or better), or
    /// the runner's own pain says so: advice applies.
    case warning
    /// The measure changed, but nothing links it to back pain (evidence grade "none"): shown with
    /// its numbers and plain words, never above low, never "see a physiotherapist".
    case observation
    /// A number worth knowing, with no threshold behind it.
    case information
}

/// How strong the evidence is that a finding goes with back pain (or injury) in runners, as
/// graded in shared/DOMAIN.md ("Evidence grades for the back", audit of 2026-12).
public enum EvidenceGrade: String, Sendable, Codable, CaseIterable, Comparable {
    /// No study links it to back pain or injury in runners.
    case none
    /// Small or cross-sectional studies, or injuries other than back pain.
    case weak
    /// Consistent prospective evidence.
    case moderate
    /// Guidelines or strong prospective evidence.
    case strong

    var rank: Int {
        switch self {
        case .none: 0
        case .weak: 1
        case .moderate: 2
        case .strong: 3
        }
    }

    public static func < (a: EvidenceGrade, b: EvidenceGrade) -> Bool { a.rank < b.rank }
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

/// An explainable finding: what was seen, compared with what, how sure, how strong the evidence
/// behind it is, and what to do.
///
/// A flag never diagnoses. Its advice is general running advice. Only the runner's own pain
/// (`FlagKind.pain`) says to see a physiotherapist or doctor; a measure never does.
public struct GaitFlag: Sendable, Codable, Equatable {
    /// Stable identifier: the same finding gets the same id in every session (e.g. "asymmetry.impact_peak_g").
    public var id: String
    /// What the finding is about (JSON `topic`).
    public var topic: FlagKind
    /// Warning, observation or information (JSON `kind`), from the evidence grade.
    public var kind: FindingKind
    /// How strong the evidence is that this finding goes with back pain in runners.
    public var evidenceGrade: EvidenceGrade
    /// The studies behind the grade, short form ("Malisoux et al. 2024, BMJ Open SEM").
    public var citations: [String]
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
    /// Whether the advice includes seeing a physiotherapist or doctor (only from the pain log).
    public var seeProfessional: Bool

    /// Creates a flag; its kind, grade and citations come from `topic` (`FindingEvidence`).
    public init(id: String, topic: FlagKind, severity: FlagSeverity, confidence: Double, title: String,
                explanation: String, reference: FlagReference, evidence: [FlagEvidence],
                trend: [FlagTrendPoint] = [], side: String? = nil, onsetS: Double? = nil,
                advice: [String], seeProfessional: Bool = false) {
        self.id = id
        self.topic = topic
        let grade = FindingEvidence.of(topic)
        self.kind = grade.kind
        self.evidenceGrade = grade.grade
        self.citations = grade.citations
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
        case topic = "topic"
        case kind = "kind"
        case evidenceGrade = "evidence_grade"
        case citations = "citations"
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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        // Documents written before findings had a kind (2026-12) said the topic under "kind".
        if let topic = try c.decodeIfPresent(FlagKind.self, forKey: .topic) {
            self.topic = topic
            kind = try c.decode(FindingKind.self, forKey: .kind)
        } else {
            topic = try c.decode(FlagKind.self, forKey: .kind)
            kind = FindingEvidence.of(topic).kind
        }
        evidenceGrade = try c.decodeIfPresent(EvidenceGrade.self, forKey: .evidenceGrade) ?? FindingEvidence.of(topic).grade
        citations = try c.decodeIfPresent([String].self, forKey: .citations) ?? FindingEvidence.of(topic).citations
        severity = try c.decode(FlagSeverity.self, forKey: .severity)
        confidence = try c.decode(Double.self, forKey: .confidence)
        title = try c.decode(String.self, forKey: .title)
        explanation = try c.decode(String.self, forKey: .explanation)
        reference = try c.decode(FlagReference.self, forKey: .reference)
        evidence = try c.decode([FlagEvidence].self, forKey: .evidence)
        trend = try c.decodeIfPresent([FlagTrendPoint].self, forKey: .trend) ?? []
        side = try c.decodeIfPresent(String.self, forKey: .side)
        onsetS = try c.decodeIfPresent(Double.self, forKey: .onsetS)
        advice = try c.decode([String].self, forKey: .advice)
        seeProfessional = try c.decodeIfPresent(Bool.self, forKey: .seeProfessional) ?? false
    }
}
