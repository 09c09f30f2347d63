import GaitDSP

/// Turns one session's analysis and the runner's history into explainable findings.
///
/// ```swift
/// let analysis = try SessionFileAnalyzer.analyze(path: "run.csv")
/// let flags = GaitInferenceEngine.flags(for: analysis, context: InferenceContext(history: earlierFacts))
/// ```
///
/// Every finding carries its evidence, the reference it was compared with, a severity, a
/// confidence, the grade of the literature behind it (`FindingEvidence`) and plain advice; nothing
/// here diagnoses. Findings the literature does not link to back pain are observations. A pattern
/// seen again in recent runs says so in its explanation; only the runner's pain (`PainRule`) says
/// to see a physiotherapist or doctor.
public enum GaitInferenceEngine {
    /// Earlier runs looked at for persistence.
    public static let persistenceWindow = 5
    /// Earlier runs among them with the same flag that make it persistent.
    public static let persistentCount = 2

    /// The findings of one session: warnings first, most severe first.
    public static func flags(for analysis: GaitAnalysis, context: InferenceContext = InferenceContext()) -> [GaitFlag] {
        let input = RuleInput(analysis: analysis, context: context)
        var flags: [GaitFlag] = []
        flags += PainRule.evaluate(input)
        flags += OverstridingRule.evaluate(input)
        flags += PostureRule.evaluate(input)
        flags += AsymmetryRule.evaluate(input)
        flags += ShoeWearRule.evaluate(input)
        flags += HighImpactRule.evaluate(input)
        flags += OveruseRule.evaluate(input)
        flags += LateRunRule.evaluate(input)
        flags += WarmUpRule.evaluate(input)
        flags += PainLinkRule.evaluate(input)
        flags += PelvicRotationRule.evaluate(input)
        let recent = input.earlier.suffix(persistenceWindow)
        flags = flags.map { flag in
            var flag = flag
            let seen = recent.filter { $0.flagIDs.contains(flag.id) }.count
            if seen >= persistentCount && flag.topic != .pain {
                flag.explanation += " It has shown in \(seen) of your last \(recent.count) runs."
            }
            return flag
        }
        return FindingEvidence.apply(flags).sorted { a, b in
            let order: [FindingKind] = [.warning, .observation, .information]
            if a.kind != b.kind { return order.firstIndex(of: a.kind)! < order.firstIndex(of: b.kind)! }
            return a.severity != b.severity ? a.severity > b.severity : a.id < b.id
        }
    }

    /// The facts of a session with the ids of its flags, ready to join the runner's history.
    public static func facts(of analysis: GaitAnalysis, context: InferenceContext, flags: [GaitFlag]) -> SessionFacts {
        var facts = SessionFacts(analysis: analysis, sessionKey: context.sessionKey, startedAt: context.startedAt, shoeKey: context.shoe?.key,
                                 distanceKm: context.distanceKm, painScore: context.painScore, painNextDay: context.painLastedIntoNextDay,
                                 flagIDs: flags.map(\.id))
        if let speed = context.speed { facts.add(speed, timeline: RunTimeline(analysis: analysis)) }
        return facts
    }
}
