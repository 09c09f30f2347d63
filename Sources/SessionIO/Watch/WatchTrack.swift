/// A runner's watch recording (FIT, GPX or TCX) as one value: the points in time order and what
/// the file says about itself. `WatchFileReader` makes it; see `WatchTrack+Normalisation.swift` for
/// what the reader fixes up (points out of order, speed or distance the file does not give).
public struct WatchTrack: Sendable, Equatable {
    /// The file formats a watch exports.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// Garmin's Flexible and Interoperable Data Transfer protocol (Garmin, COROS, Suunto, Wahoo …).
        case fit
        /// GPS Exchange Format 1.1 (Topografix), with Garmin's TrackPointExtension.
        case gpx
        /// Garmin's Training Center Database v2, with the ActivityExtension v2.
        case tcx
    }

    /// The file read (or the name given to `WatchFileReader.read(bytes:name:)`).
    public var path: String
    /// The format the content was recognised as.
    public var format: Format
    /// The recording device as the file names it: FIT `file_id` product name, or manufacturer and
    /// product number; GPX `gpx@creator`; TCX `Activity/Creator/Name`.
    public var device: String?
    /// The sport as the file names it: FIT `session.sport` (or the `sport` message, with its name);
    /// GPX `trk/type`; TCX `Activity@Sport`.
    public var sport: String?
    /// The points, in strictly increasing time.
    public var points: [WatchPoint]
    /// What the reader worked around or derived, one line each, for the user.
    public var warnings: [String]

    /// A track of already ordered points; `WatchFileReader` uses `init(normalising:…)` instead.
    public init(path: String, format: Format, device: String?, sport: String?, points: [WatchPoint], warnings: [String]) {
        self.path = path
        self.format = format
        self.device = device
        self.sport = sport
        self.points = points
        self.warnings = warnings
    }

    /// The first point's time, seconds since 1970 UTC.
    public var startUTCS: Double? { points.first?.timeUTCS }

    /// The last point's time, seconds since 1970 UTC.
    public var endUTCS: Double? { points.last?.timeUTCS }

    /// Seconds from the first point to the last (0 without points). Pauses count: this is elapsed
    /// time, not moving time.
    public var durationS: Double {
        guard let start = startUTCS, let end = endUTCS else { return 0 }
        return end - start
    }

    /// Metres from the first point with a distance to the last, or nil when no point has one.
    public var distanceM: Double? {
        guard let first = points.first(where: { $0.distanceM != nil })?.distanceM,
              let last = points.last(where: { $0.distanceM != nil })?.distanceM else { return nil }
        return last - first
    }

    /// Sum of the rises between consecutive altitudes, metres, or nil with fewer than two.
    /// Unsmoothed (design choice: the reader reports what the file says): GPS altitude noise
    /// inflates it, a barometric altimeter much less.
    public var elevationGainM: Double? {
        var gain = 0.0
        var previous: Double?
        var count = 0
        for point in points {
            guard let altitude = point.altitudeM else { continue }
            if let previous, altitude > previous { gain += altitude - previous }
            previous = altitude
            count += 1
        }
        return count >= 2 ? gain : nil
    }

    /// Distance over elapsed time, m/s, or nil without either.
    public var averageSpeedMPS: Double? {
        guard let distance = distanceM, durationS > 0 else { return nil }
        return distance / durationS
    }

    /// Mean of the points' cadences above zero, steps per minute, or nil without any. Zeros are
    /// left out: watches write 0 while the runner stands.
    public var averageCadenceSPM: Double? {
        var sum = 0.0
        var count = 0
        for point in points {
            if let cadence = point.cadenceSPM, cadence > 0 {
                sum += cadence
                count += 1
            }
        }
        return count > 0 ? sum / Double(count) : nil
    }
}
