#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension WatchTrack {
    /// Mean Earth radius R1 = (2a + b) / 3 of the GRS 80 / WGS 84 ellipsoid, metres (Moritz 2000,
    /// "Geodetic Reference System 1980", J Geodesy 74:128). The sphere is off the ellipsoid by up to
    /// 0.5% in a distance, less than GPS position noise adds over a run.
    public static let earthMeanRadiusM = 6_371_008.8

    /// A track from points in file order, made consistent the same way for every format:
    ///
    /// 1. Points out of time order or repeating an earlier time are dropped, keeping the first of
    ///    each time (one warning with the count). Nothing else is smoothed or removed.
    /// 2. When no point has a distance but some have positions (most GPX files), distance is the
    ///    cumulative great-circle distance between consecutive positions (haversine, `greatCircleM`),
    ///    from 0 at the first positioned point; a warning says so.
    /// 3. A point with a distance but no speed gets the distance difference over the time difference
    ///    to the previous point with a distance (the first such point: to the next one). No speed is
    ///    derived across a distance that decreases.
    init(normalising filePoints: [WatchPoint], path: String, format: Format, device: String?, sport: String?,
         warnings fileWarnings: [String]) {
        var warnings = fileWarnings
        var points: [WatchPoint] = []
        points.reserveCapacity(filePoints.count)
        var dropped = 0
        for point in filePoints {
            if let last = points.last, point.timeUTCS <= last.timeUTCS {
                dropped += 1
                continue
            }
            points.append(point)
        }
        if dropped > 0 {
            warnings.append("\(dropped) point\(dropped == 1 ? "" : "s") out of time order or repeating an earlier time "
                            + "dropped (the first point of each time is kept)")
        }

        if !points.contains(where: { $0.distanceM != nil }),
           points.contains(where: { $0.latitudeDeg != nil && $0.longitudeDeg != nil }) {
            var total = 0.0
            var previous: (latitudeDeg: Double, longitudeDeg: Double)?
            for index in points.indices {
                guard let latitude = points[index].latitudeDeg, let longitude = points[index].longitudeDeg else { continue }
                if let previous {
                    total += Self.greatCircleM(latitude1Deg: previous.latitudeDeg, longitude1Deg: previous.longitudeDeg,
                                               latitude2Deg: latitude, longitude2Deg: longitude)
                }
                points[index].distanceM = total
                previous = (latitude, longitude)
            }
            warnings.append("distance and speed computed from GPS positions (the file gives neither)")
        }

        Self.deriveSpeeds(&points)
        self.init(path: path, format: format, device: device, sport: sport, points: points, warnings: warnings)
    }

    /// Fills in missing speeds from distance over time (rule 3 of `init(normalising:…)`).
    private static func deriveSpeeds(_ points: inout [WatchPoint]) {
        func speed(from earlier: WatchPoint, to later: WatchPoint) -> Double? {
            guard let start = earlier.distanceM, let end = later.distanceM, end >= start else { return nil }
            return (end - start) / (later.timeUTCS - earlier.timeUTCS)
        }
        var previousWithDistance: Int?
        for index in points.indices {
            guard points[index].distanceM != nil else { continue }
            if points[index].speedMPS == nil {
                if let previous = previousWithDistance {
                    points[index].speedMPS = speed(from: points[previous], to: points[index])
                } else if let next = points[(index + 1)...].firstIndex(where: { $0.distanceM != nil }) {
                    points[index].speedMPS = speed(from: points[index], to: points[next])
                }
            }
            previousWithDistance = index
        }
    }

    /// Great-circle distance between two positions on a sphere of `earthMeanRadiusM`, metres, by the
    /// haversine formula (Sinnott 1984, "Virtues of the Haversine", Sky and Telescope 68(2):159),
    /// which stays accurate for the few metres between two points of a track.
    public static func greatCircleM(latitude1Deg: Double, longitude1Deg: Double, latitude2Deg: Double, longitude2Deg: Double) -> Double {
        let radiansPerDegree = Double.pi / 180
        let latitude1 = latitude1Deg * radiansPerDegree, latitude2 = latitude2Deg * radiansPerDegree
        let halfDeltaLatitude = (latitude2 - latitude1) / 2
        let halfDeltaLongitude = (longitude2Deg - longitude1Deg) * radiansPerDegree / 2
        let sinLatitude = sin(halfDeltaLatitude), sinLongitude = sin(halfDeltaLongitude)
        let a = min(1, sinLatitude * sinLatitude + cos(latitude1) * cos(latitude2) * sinLongitude * sinLongitude)
        return earthMeanRadiusM * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }
}
