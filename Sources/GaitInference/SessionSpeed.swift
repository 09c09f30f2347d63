/// Speed and slope of a session from the runner's watch, aligned to the session's own time: what
/// turns a comparison into a matched one (similar speed, near-level). Running speed and slope move
/// cadence, contact time and impact more than most conditions do (Mercer et al. 2005; Zandbergen
/// et al. 2023), so without this a comparison is unmatched and says so.
public struct SessionSpeed: Sendable, Codable, Equatable {
    /// One minute of the session (by the session's clock: seconds from its first sample).
    public struct Minute: Sendable, Codable, Equatable {
        /// Start of the minute, seconds from the session's first sample.
        public var startS: Double
        /// Mean speed over the minute, m/s; nil without watch points in it.
        public var speedMPS: Double?
        /// Grade over the minute, % (rise / horizontal distance × 100); nil without altitude or distance.
        public var gradePct: Double?
        /// The watch's cadence over the minute, steps/min; nil when the watch has none.
        public var watchCadenceSPM: Double?

        public init(startS: Double, speedMPS: Double? = nil, gradePct: Double? = nil, watchCadenceSPM: Double? = nil) {
            self.startS = startS
            self.speedMPS = speedMPS
            self.gradePct = gradePct
            self.watchCadenceSPM = watchCadenceSPM
        }

        enum CodingKeys: String, CodingKey {
            case startS = "start_s", speedMPS = "speed_mps", gradePct = "grade_pct", watchCadenceSPM = "watch_cadence_spm"
        }
    }

    /// The watch file, as a person knows it ("FIT from Garmin product 4024 (run.fit)").
    public var source: String
    /// Watch time minus session time, seconds, after alignment (add it to a session time to get the
    /// watch's UTC seconds since 1970).
    public var offsetS: Double
    /// How the offset was found, in words: the first guess, "clock" (the session's start time) or
    /// "moving start" (no clock: the watch's longest moving stretch on the session's longest running
    /// bout, a weaker guess), then either ", refined by cadence (+1.2 s)" (cross-correlation of the
    /// two cadences) or " only (…)" with the reason it was not refined ("clock only (the watch file
    /// has no cadence)", "clock only (cadence too even to refine: SD 1.1 steps/min)").
    public var method: String
    /// Pearson correlation of the watch's and the clip's 5 s cadence at the offset; nil when the
    /// offset was not refined by cadence (the watch has none, or the run's cadence is too even for
    /// a correlation to mean anything).
    public var cadenceCorrelation: Double?
    /// Median absolute difference of the two 5 s cadences over the overlap, steps/min; nil when the
    /// watch has no cadence or no running of the clip's to compare it with.
    public var cadenceDifferenceSPM: Double?
    /// Share of the session's running minutes the watch covers, 0–1.
    public var overlap: Double
    /// Distance over the session, km.
    public var distanceKm: Double?
    /// Per-minute speed and grade, in session time.
    public var minutes: [Minute]

    public init(source: String, offsetS: Double, method: String, cadenceCorrelation: Double?, cadenceDifferenceSPM: Double?,
                overlap: Double, distanceKm: Double?, minutes: [Minute]) {
        self.source = source
        self.offsetS = offsetS
        self.method = method
        self.cadenceCorrelation = cadenceCorrelation
        self.cadenceDifferenceSPM = cadenceDifferenceSPM
        self.overlap = overlap
        self.distanceKm = distanceKm
        self.minutes = minutes
    }

    /// The minute containing session time `t`, if any.
    public func minute(at t: Double) -> Minute? {
        minutes.last { $0.startS <= t && t < $0.startS + 60 }
    }

    enum CodingKeys: String, CodingKey {
        case source, offsetS = "offset_s", method, cadenceCorrelation = "cadence_correlation"
        case cadenceDifferenceSPM = "cadence_difference_spm", overlap, distanceKm = "distance_km", minutes
    }
}
