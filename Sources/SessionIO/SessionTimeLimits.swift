/// How far a session's timestamps may reach, for every reader.
///
/// A clip records for a few days on a charge and a phone export covers one outing, so no real
/// session spans a week; a time column with one digit edited by hand (10¹² s) or a corrupted clip
/// clock lands far beyond it. Beyond the limit the readers stop with an error naming the line
/// (CSV) or the block (clip session) instead of analysing an absurd span.
public enum SessionTimeLimits {
    /// Longest span from a session's first sample to its last, seconds (7 days). Design choice,
    /// tested by `SessionTimeLimitTests`; the engine leaves out samples beyond the same span
    /// (`GaitEngineConfiguration.maximumSessionSpanS`).
    public static let maximumSessionSpanS: Double = 7 * 86_400

    /// The limit in words, for error messages.
    public static var maximumSessionSpanText: String { "7 days" }
}
