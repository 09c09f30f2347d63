/// What each finding may claim, from the evidence audit in shared/DOMAIN.md ("Evidence grades for
/// the back", 2026-12): its grade for back pain in runners, the studies behind it, and so whether
/// it is a warning or an observation.
///
/// The rules that follow from it (`FindingEvidence.apply`):
/// - grade `none`: an **observation** — shown with its numbers and plain words, never above low,
///   never "see a physiotherapist";
/// - grade `weak`: a warning, at most moderate (small cross-sectional studies, or injuries other
///   than back pain, cannot carry "high");
/// - "see a physiotherapist or doctor" comes only from the runner's pain (`FlagKind.pain`), never
///   from a measure.
public struct FindingEvidence: Sendable, Equatable {
    /// The grade for back pain (or running injury, where the finding says so).
    public var grade: EvidenceGrade
    /// Warning, observation or information.
    public var kind: FindingKind
    /// The studies behind the grade.
    public var citations: [String]

    /// The evidence behind findings about `topic`.
    public static func of(_ topic: FlagKind) -> FindingEvidence {
        switch topic {
        case .overstriding:
            // Lower cadence: runners with LBP 166 vs 171 spm (cross-sectional); +5–10 % step rate cuts
            // braking and hip/knee absorption (no spine data); no difference with injury history.
            FindingEvidence(grade: .weak, kind: .warning, citations: [
                "Drozda et al. 2024, Gait Posture", "Heiderscheit et al. 2011, Med Sci Sports Exerc", "Brindle et al. 2020",
            ])
        case .highImpact:
            // Higher vertical loading: loading rate 67.7 vs 62.2 BW/s with LBP (cross-sectional);
            // loading rate relates mainly to stress fractures.
            FindingEvidence(grade: .weak, kind: .warning, citations: [
                "Drozda et al. 2024, Gait Posture", "van der Worp et al. 2016, Br J Sports Med",
            ])
        case .overuse:
            // Training-load spikes: all running injuries, not back pain.
            FindingEvidence(grade: .weak, kind: .warning, citations: [
                "Frandsen et al. 2025, Br J Sports Med", "Nielsen et al. 2014, J Orthop Sports Phys Ther",
            ])
        case .posture:
            FindingEvidence(grade: .none, kind: .observation, citations: [
                "Laird et al. 2014 (standing tilt and lordosis do not differ with LBP)", "Koblbauer et al. 2014, J Sci Med Sport",
                "Ruiz-Malagón et al. 2023, Sensors (sacral tilt failed validity)",
            ])
        case .asymmetry:
            FindingEvidence(grade: .none, kind: .observation, citations: [
                "Malisoux et al. 2024, BMJ Open Sport Exerc Med (no raised injury risk, 836 runners)",
            ])
        case .shoeWear:
            FindingEvidence(grade: .none, kind: .observation, citations: [
                "Kong et al. 2009, Br J Sports Med", "Kulmala et al. 2018, Sci Rep",
            ])
        case .lateRunDegradation:
            FindingEvidence(grade: .none, kind: .observation, citations: [
                "Clermont et al. 2019, J Appl Biomech", "Zandbergen et al. 2023, Front Sports Act Living", "Dimmick et al. 2023",
            ])
        case .noWarmUp:
            FindingEvidence(grade: .none, kind: .observation, citations: [
                "van Mechelen et al. 1993, Am J Sports Med (RCT of 421 runners)",
            ])
        case .painLink:
            // A pattern in the runner's own log: a hypothesis to discuss, not published evidence.
            FindingEvidence(grade: .weak, kind: .warning, citations: [
                "the runner's own pain log (an association within one runner, not a cause)",
            ])
        case .pain:
            // Persistent or worsening back pain and red-flag symptoms are reasons to see a clinician.
            FindingEvidence(grade: .strong, kind: .warning, citations: [
                "NICE guideline NG59 (2016, updated 2020): low back pain and sciatica",
                "Finucane et al. 2020, J Orthop Sports Phys Ther (international framework for red flags)",
            ])
        case .clipMoved:
            FindingEvidence(grade: .none, kind: .information, citations: [
                "Kiernan et al. 2024, Sensors (moving the clip 5 cm changes contact times by ~10 ms and peaks by up to 2.45 g)",
            ])
        case .pelvicRotation:
            FindingEvidence(grade: .weak, kind: .information, citations: [
                "Seay et al. 2011, Spine", "Seay et al. 2011, Clin Biomech",
            ])
        }
    }

    /// The highest severity a finding with this evidence may have.
    public var maximumSeverity: FlagSeverity {
        switch (kind, grade) {
        case (.observation, _), (.information, _): .low
        case (_, .none), (_, .weak): .moderate
        default: .high
        }
    }

    /// Holds `flags` to what their evidence allows: severity capped, "see a physiotherapist or
    /// doctor" kept only for the runner's pain.
    static func apply(_ flags: [GaitFlag]) -> [GaitFlag] {
        flags.map { flag in
            var flag = flag
            let evidence = of(flag.topic)
            flag.kind = evidence.kind
            flag.evidenceGrade = evidence.grade
            flag.citations = evidence.citations
            flag.severity = min(flag.severity, evidence.maximumSeverity)
            if flag.topic != .pain {
                flag.seeProfessional = false
                flag.advice.removeAll { $0.lowercased().contains("physiotherapist or doctor") }
            }
            return flag
        }
    }
}
