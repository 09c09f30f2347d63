import Foundation

/// The runner's own pain, from the pain log: the one finding that says to see a physiotherapist or
/// doctor. Escalation comes from the runner, not from a measure (shared/DOMAIN.md, "Evidence
/// grades"): pain of 5 or more after a run, pain rising over three sessions, or pain that lasted
/// into the next day. Red-flag symptoms (numbness, night pain, bladder or bowel changes, fever, a
/// fall) are not a flag of one session: they are an alert on every page of the runner until
/// cleared (`RedFlagSymptom`).
///
/// Sources: persistent or worsening low back pain is a reason for clinical assessment (NICE NG59,
/// 2016, updated 2020); the thresholds 5/10 and "rising over three sessions" are design choices,
/// tested in the scenario suite, not published cut-offs.
enum PainRule {
    /// Pain from which the runner is told to have it looked at, 0–10 (design choice: the middle of the scale).
    static let highPain = 5
    /// Pain from which the finding is high, 0–10 (design choice).
    static let severePain = 7
    /// Sessions over which a rise counts, and the pain the last of them must reach (design choice).
    static let risingSessions = 3, risingFrom = 3

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        let pain = input.facts.painScore
        var reasons: [String] = []
        var evidence: [FlagEvidence] = []
        var severity: FlagSeverity?
        if let pain {
            let crossed = pain >= highPain
            evidence.append(FlagEvidence(measure: "pain_score", value: Double(pain), unit: "0–10", threshold: Double(highPain),
                                         comparison: "at or above", crossed: crossed))
            if crossed {
                reasons.append("you logged pain of \(pain)/10 after this run")
                severity = pain >= severePain ? .high : .moderate
            }
        }
        let scored = (input.earlier + [input.facts]).filter { $0.painScore != nil }.suffix(risingSessions)
        let scores = scored.compactMap(\.painScore)
        if scored.count == risingSessions, scored.last?.sessionKey == input.facts.sessionKey,
           zip(scores, scores.dropFirst()).allSatisfy({ $0 < $1 }), let last = scores.last, last >= risingFrom {
            reasons.append("your pain rose over your last \(risingSessions) runs (\(scores.map(String.init).joined(separator: " → ")))")
            evidence.append(FlagEvidence(measure: "pain_score.last_\(risingSessions)_sessions", value: Double(last), unit: "0–10",
                                         reference: Double(scores[0]), comparison: "rising", crossed: true))
            severity = max(severity ?? .moderate, .moderate)
        }
        if input.facts.painNextDay {
            reasons.append("the pain lasted into the next day")
            evidence.append(FlagEvidence(measure: "pain_lasted_into_next_day", value: 1, unit: "yes/no", comparison: "yes", crossed: true))
            severity = max(severity ?? .moderate, .moderate)
        }
        guard let severity else { return [] }
        let sentence = reasons.joined(separator: "; ")
        return [GaitFlag(
            id: "pain", topic: .pain, severity: severity, confidence: 1,
            title: "Your back pain needs a look",
            explanation: sentence.prefix(1).uppercased() + sentence.dropFirst() + ". Pain that is strong, keeps rising or stays after a run is a reason to have it assessed; the clip's measures cannot tell why it hurts.",
            reference: FlagReference(kind: .painLog, description: "your pain log", sessionCount: scored.count),
            evidence: evidence,
            advice: [
                "See a physiotherapist or doctor about your back, and show them this log.",
                "Until then, run only as far and as hard as you can without the pain rising.",
            ],
            seeProfessional: true)]
    }
}

/// Red-flag symptoms of back pain that guidelines say need a doctor soon: any one of them on the
/// pain form shows "see a doctor now" on every page and report of the runner until cleared.
///
/// Source: the international framework for red flags for potential serious spinal pathologies
/// (Finucane et al. 2020, J Orthop Sports Phys Ther); NICE NG59.
public enum RedFlagSymptom: String, Sendable, Codable, CaseIterable {
    case numbness = "numbness"
    case nightPain = "night_pain"
    case bladderBowel = "bladder_bowel"
    case fever = "fever"
    case fallOrAccident = "fall_or_accident"

    /// The question on the pain form.
    public var question: String {
        switch self {
        case .numbness: "Numbness, tingling or weakness in the legs?"
        case .nightPain: "Pain at night or at rest that does not ease?"
        case .bladderBowel: "Loss of bladder or bowel control, or numbness around the groin?"
        case .fever: "Fever or feeling unwell with the back pain?"
        case .fallOrAccident: "Did the pain start with a fall or an accident?"
        }
    }

    /// The symptom in a few words.
    public var words: String {
        switch self {
        case .numbness: "numbness, tingling or weakness in the legs"
        case .nightPain: "pain at night or at rest"
        case .bladderBowel: "bladder or bowel changes"
        case .fever: "fever"
        case .fallOrAccident: "a fall or an accident"
        }
    }

    /// What every page says while a red flag is not cleared.
    public static func alert(_ symptoms: [RedFlagSymptom]) -> String {
        "See a doctor now: you reported \(symptoms.map(\.words).joined(separator: ", ")) with your back pain. These can be signs of a problem that needs a doctor soon, whatever your running looks like. If it is urgent (loss of bladder or bowel control, numbness around the groin), go to an emergency department."
    }
}
