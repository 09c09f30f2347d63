/// One sample of a runner's watch file (usually one a second): when, where, how far and how fast,
/// and what the watch and its sensors measured then. A value the file does not give is nil.
///
/// Field numbers and scales of the FIT record message (global 20) are those of Garmin's FIT
/// Profile 21.218 (garmin-fit-sdk 21.218.0, `profile.py`); the FIT column below gives the field
/// number and the stored unit.
public struct WatchPoint: Sendable, Equatable {
    /// Seconds since 1970-01-01 00:00:00 UTC. FIT: field 253 `timestamp`, seconds since
    /// 1989-12-31 00:00:00 UTC (631065600 s after the Unix epoch), or a compressed-timestamp header;
    /// GPX `time`, TCX `Time` (xsd:dateTime; a time without a zone is read as UTC).
    public var timeUTCS: Double
    /// Distance covered since the start of the recording, metres. FIT 5 `distance` (m × 100);
    /// TCX `DistanceMeters`; otherwise, when no point of the file has a distance, the cumulative
    /// great-circle distance between positions (see `WatchTrack`).
    public var distanceM: Double?
    /// Speed, m/s. FIT 73 `enhanced_speed`, else 6 `speed` (both m/s × 1000); GPX
    /// TrackPointExtension v2 `speed`; TCX ActivityExtension v2 `TPX/Speed`; otherwise derived
    /// from distance over time (see `WatchTrack`).
    public var speedMPS: Double?
    /// Altitude above mean sea level, metres. FIT 78 `enhanced_altitude`, else 2 `altitude` (both
    /// (m + 500) × 5); GPX `ele`; TCX `AltitudeMeters`.
    public var altitudeM: Double?
    /// Latitude, degrees north. FIT 0 `position_lat` (semicircles: degrees = semicircles × 180 / 2^31);
    /// GPX `trkpt@lat`; TCX `Position/LatitudeDegrees`.
    public var latitudeDeg: Double?
    /// Longitude, degrees east. FIT 1 `position_long` (semicircles); GPX `trkpt@lon`; TCX
    /// `Position/LongitudeDegrees`.
    public var longitudeDeg: Double?
    /// Cadence in steps per minute (both feet). Every source stores strides (cycles of one leg)
    /// per minute for running, so each is doubled: FIT steps/min = 2 × (4 `cadence` + 53
    /// `fractional_cadence` / 128); GPX TrackPointExtension `cad` × 2 (the schema's "revolutions
    /// per minute", one per stride); TCX `TPX/RunCadence` × 2, else `Cadence` × 2.
    public var cadenceSPM: Double?
    /// Heart rate, beats per minute. FIT 3 `heart_rate`; GPX TrackPointExtension `hr`; TCX
    /// `HeartRateBpm/Value`.
    public var heartRateBPM: Double?
    /// Vertical oscillation of the torso per step, millimetres. FIT 39 `vertical_oscillation` (mm × 10).
    public var verticalOscillationMM: Double?
    /// Ground contact (stance) time, milliseconds. FIT 41 `stance_time` (ms × 10).
    public var stanceTimeMS: Double?
    /// Stance time as a percentage of the step time. FIT 40 `stance_time_percent` (% × 100).
    public var stanceTimePct: Double?
    /// Left foot's share of the ground contact time, percent (50 = even). FIT 84
    /// `stance_time_balance` (% × 100).
    public var stanceTimeBalancePct: Double?
    /// Step length, millimetres. FIT 85 `step_length` (mm × 10).
    public var stepLengthMM: Double?
    /// Vertical oscillation as a percentage of step length. FIT 83 `vertical_ratio` (% × 100).
    public var verticalRatioPct: Double?

    /// A point at `timeUTCS` (seconds since 1970, UTC); every other value is optional.
    public init(
        timeUTCS: Double, distanceM: Double? = nil, speedMPS: Double? = nil, altitudeM: Double? = nil,
        latitudeDeg: Double? = nil, longitudeDeg: Double? = nil, cadenceSPM: Double? = nil,
        heartRateBPM: Double? = nil, verticalOscillationMM: Double? = nil, stanceTimeMS: Double? = nil,
        stanceTimePct: Double? = nil, stanceTimeBalancePct: Double? = nil, stepLengthMM: Double? = nil,
        verticalRatioPct: Double? = nil
    ) {
        self.timeUTCS = timeUTCS
        self.distanceM = distanceM
        self.speedMPS = speedMPS
        self.altitudeM = altitudeM
        self.latitudeDeg = latitudeDeg
        self.longitudeDeg = longitudeDeg
        self.cadenceSPM = cadenceSPM
        self.heartRateBPM = heartRateBPM
        self.verticalOscillationMM = verticalOscillationMM
        self.stanceTimeMS = stanceTimeMS
        self.stanceTimePct = stanceTimePct
        self.stanceTimeBalancePct = stanceTimeBalancePct
        self.stepLengthMM = stepLengthMM
        self.verticalRatioPct = verticalRatioPct
    }
}
