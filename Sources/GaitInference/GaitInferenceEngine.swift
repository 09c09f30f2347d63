import GaitDSP

/// Turns one session's analysis and the runner's history into explainable flags.
///
/// ```swift
/// let analysis = try SessionFileAnalyzer.analyze(path: "run.csv")
/// let flags = GaitInferenceEngine.flags(for: analysis, context: InferenceContext(history: earlierFacts))
/// ```
///
/// Every flag carries its evidence, the reference it was compared with, a severity, a confidence
/// and plain advice; nothing here diagnoses. A pattern that is serious (high severity in a body
/// measure) or persistent (raised in at least `persistentCount` of the last `persistenceWindow`
/// runs) adds the advice to see a physiotherapist or doctor.
public enum GaitInferenceEngine {
    /// Earlier runs looked at for persistence.
    public static let persistenceWindow = 5
    /// Earlier runs among them with the same flag that make it persistent.
    public static let persistentCount = 2

    /// The flags of one session, most severe first.
    public static func flags(for analysis: GaitAnalysis, context: InferenceContext = InferenceContext()) -> [GaitFlag] {
        let input = RuleInput(analysis: analysis, context: context)
        var flags: [GaitFlag] = []
        flags += OverstridingRule.evaluate(input)
        flags += PostureRule.evaluate(input)
        flags += AsymmetryRule.evaluate(input)
        flags += ShoeWearRule.evaluate(input)
        flags += HighImpactRule.evaluate(input)
        flags += OveruseRule.evaluate(input)
        flags += LateRunRule.evaluate(input)
        flags += WarmUpRule.evaluate(input)
        flags += PainLinkRule.evaluate(input)
        let recent = input.earlier.suffix(persistenceWindow)
        flags = flags.map { flag in
            var flag = flag
            let seen = recent.filter { $0.flagIDs.contains(flag.id) }.count
            let bodyMeasure = flag.kind != .shoeWear && flag.kind != .noWarmUp
            if seen >= persistentCount && bodyMeasure {
                flag.explanation += " It has shown in \(seen) of your last \(recent.count) runs."
                if !flag.seeProfessional {
                    flag.advice.append("This keeps coming back: see a physiotherapist or doctor, especially if your back hurts.")
                    flag.seeProfessional = true
                }
            } else if flag.severity == .high && bodyMeasure && !flag.seeProfessional {
                flag.advice.append("If your back hurts, or this stays after you change your running, see a physiotherapist or doctor.")
                flag.seeProfessional = true
            }
            return flag
        }
        return flags.sorted { a, b in a.severity != b.severity ? a.severity > b.severity : a.id < b.id }
    }

    /// The facts of a session with the ids of its flags, ready to join the runner's history.
    public static func facts(of analysis: GaitAnalysis, context: InferenceContext, flags: [GaitFlag]) -> SessionFacts {
        SessionFacts(analysis: analysis, sessionKey: context.sessionKey, startedAt: context.startedAt, shoeKey: context.shoe?.key,
                     distanceKm: context.distanceKm, painScore: context.painScore, flagIDs: flags.map(\.id))
    }
}
