import Foundation
import GaitDSP
import GaitInference

/// The report of one session for a physiotherapist: the summary, the flags with their evidence and
/// advice, the left/right table, the run over time (per-minute medians, a thinned set of steps, a
/// step-time histogram per side), the pain log and what the clip cannot see.
///
/// Made once from an `InferredAnalysis` (all derived numbers are computed here), then rendered
/// as self-contained HTML with inline SVG (`html()`), or exported as CSV (`csv()`) or JSON
/// (`json()`) with the same numbers. A 1 h run (~10,000 steps) becomes a report of a few hundred
/// kilobytes: per-minute medians and at most `maximumPlottedSteps` individual steps.
public struct SessionReport: Sendable, Codable, Equatable {
    /// Schema identifier of the JSON export.
    public var schema = SessionReport.schemaIdentifier
    /// The session's id in the store.
    public var sessionID: Int64?
    /// The runner's name.
    public var runnerName: String?
    /// Start of the recording (UTC).
    public var startedAt: Date?
    /// IANA time zone of the recording.
    public var timeZone: String?
    /// The shoe worn.
    public var shoeName: String?
    /// What was analysed (file or clip).
    public var source: String
    /// Recording device, when known.
    public var device: String?
    /// Nominal sampling rate, Hz.
    public var sampleRateHz: Double
    /// Whether a gyroscope was recorded (pelvic rotation and drop need it).
    public var hasGyroscope: Bool
    /// First to last sample, seconds.
    public var durationS: Double
    /// Time running, seconds.
    public var runningTimeS: Double
    /// Time walking, seconds.
    public var walkingTimeS: Double
    /// Running or walking: the activity the medians describe.
    public var primaryActivity: ActivityKind?
    /// Steps of the primary activity.
    public var stepCount: Int
    /// Median cadence, steps/min.
    public var cadenceSpm: Float?
    /// What the pelvis tilt is measured against: "standing" or "early_gait".
    public var postureReference: String?
    /// Share of steps whose side is known with confidence ≥ 0.6.
    public var confidentSideShare: Float?
    /// What the recording cannot tell with confidence (`SessionSummary.uncertainties`).
    public var uncertainties: [String]?
    /// Side-free symmetry from the autocorrelation, d1/d2 (1 = symmetric; Moe-Nilssen & Helbostad 2004).
    public var autocorrelationSymmetry: Float?
    /// The flags, most severe first.
    public var flags: [GaitFlag]
    /// What the flags were computed against.
    public var inference: InferenceSummary
    /// The left/right table.
    public var leftRight: [LeftRightRow]
    /// Length of the time bins, seconds (60 for runs of 10 min or more).
    public var binS: Double
    /// The run bin by bin (bins with too few steps are left out).
    public var bins: [Bin]
    /// Individual steps of the primary activity with a side, thinned to at most `maximumPlottedSteps`.
    public var plottedSteps: [PlottedStep]
    /// Step times of the primary activity per side.
    public var stepTimeHistogram: StepTimeHistogram
    /// The pain and notes log.
    public var painLog: [PainNote]
    /// The runner's red-flag alert, if any (see `SessionReportMetadata.alert`).
    public var alert: String?
    /// What the clip cannot measure: questions for the physiotherapist to ask.
    public var notMeasured: [String]

    /// The schema identifier of the JSON export.
    public static let schemaIdentifier = "backstride.session-report/1"
    /// Most individual steps drawn in a plot (a 1 h run has ~10,000).
    public static let maximumPlottedSteps = 1500
    /// Questions for what the clip cannot see (shared/DOMAIN.md: "we do not pretend to see them").
    public static let notMeasuredChecklist = [
        "Hydration and fuelling before and during the run",
        "Sleep and recovery in the days before",
        "Medication, especially painkillers that can mask pain while running",
        "Muscle length: hamstrings and hip flexors, left and right",
        "Strength of the glutes and trunk muscles",
        "Surface, route (hills, camber) and shoes' fit",
        "Earlier injuries and where the pain is felt",
    ]

    /// Makes the report of an analysis with its flags; `metadata` says who, when and what was logged.
    public init(document: InferredAnalysis, metadata: SessionReportMetadata = SessionReportMetadata()) {
        let analysis = document.analysis
        let summary = analysis.summary
        sessionID = metadata.sessionID
        runnerName = metadata.runnerName
        startedAt = metadata.startedAt
        timeZone = metadata.timeZone
        shoeName = metadata.shoeName ?? document.inference.shoe
        source = analysis.input.source
        device = analysis.input.device
        sampleRateHz = analysis.sampleRateHz
        hasGyroscope = analysis.input.hasGyroscope
        durationS = analysis.durationS
        runningTimeS = summary.activityTimeS[ActivityKind.running.rawValue] ?? 0
        walkingTimeS = summary.activityTimeS[ActivityKind.walking.rawValue] ?? 0
        primaryActivity = summary.primaryActivity
        stepCount = summary.stepCount
        cadenceSpm = summary.metrics?.cadenceSpm
        postureReference = summary.postureReference
        confidentSideShare = summary.confidentSideShare
        uncertainties = summary.uncertainties
        autocorrelationSymmetry = summary.metrics?.autocorrelationSymmetry
        flags = document.flags
        inference = document.inference
        leftRight = LeftRightRow.rows(analysis: analysis, flags: document.flags)
        binS = analysis.durationS >= 600 ? 60 : 30
        bins = Self.bins(analysis: analysis, binS: binS)
        plottedSteps = Self.plottedSteps(analysis: analysis, maximum: Self.maximumPlottedSteps)
        stepTimeHistogram = StepTimeHistogram(analysis: analysis)
        painLog = metadata.painLog
        alert = metadata.alert
        notMeasured = Self.notMeasuredChecklist
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case sessionID = "session_id"
        case runnerName = "runner"
        case startedAt = "started_at"
        case timeZone = "time_zone"
        case shoeName = "shoe"
        case source, device
        case sampleRateHz = "sample_rate_hz"
        case hasGyroscope = "has_gyroscope"
        case durationS = "duration_s"
        case runningTimeS = "running_time_s"
        case walkingTimeS = "walking_time_s"
        case primaryActivity = "primary_activity"
        case stepCount = "step_count"
        case cadenceSpm = "cadence_spm"
        case postureReference = "posture_reference"
        case confidentSideShare = "confident_side_share"
        case uncertainties = "uncertainties"
        case autocorrelationSymmetry = "autocorrelation_symmetry"
        case flags, inference
        case leftRight = "left_right"
        case binS = "bin_s"
        case bins
        case plottedSteps = "plotted_steps"
        case stepTimeHistogram = "step_time_histogram"
        case painLog = "pain_log"
        case alert = "alert"
        case notMeasured = "not_measured"
    }
}
