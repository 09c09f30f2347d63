import Foundation
import Testing
@testable import SessionIO

/// The watch-file fixtures read back as their independent encoder wrote them (fit-tool for FIT,
/// text for GPX and TCX; `Fixtures/watch/make_fixtures.py`, which also writes the values to
/// `<fixture>.expected.csv`), and the reader's normalisation does what `WatchTrack` documents.
@Suite("WatchFileReader")
struct WatchFileReaderTests {
    /// The rows of `<fixture>.expected.csv`, each column a value or absent (the point has none).
    static func expectedRows(_ fixture: String) throws -> [[String: Double]] {
        let text = try String(contentsOfFile: fixturePath("watch/\(fixture).expected.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            var row: [String: Double] = [:]
            for (name, field) in zip(header, fields) where !field.isEmpty { row[name] = Double(field)! }
            return row
        }
    }

    /// The value of `point` in the expected-values column `column`.
    static func value(_ point: WatchPoint, _ column: String) -> Double? {
        switch column {
        case "distance_m": point.distanceM
        case "speed_mps": point.speedMPS
        case "altitude_m": point.altitudeM
        case "latitude_deg": point.latitudeDeg
        case "longitude_deg": point.longitudeDeg
        case "heart_rate_bpm": point.heartRateBPM
        case "cadence_spm": point.cadenceSPM
        case "vertical_oscillation_mm": point.verticalOscillationMM
        case "stance_time_ms": point.stanceTimeMS
        case "stance_time_balance_pct": point.stanceTimeBalancePct
        case "step_length_mm": point.stepLengthMM
        case "vertical_ratio_pct": point.verticalRatioPct
        default: Double.nan
        }
    }

    /// Half the stored unit of each FIT field (the encoder rounds to it), plus rounding of doubles.
    static let fitResolutions: [String: Double] = [
        "distance_m": 0.005, "speed_mps": 0.0005, "altitude_m": 0.1, "latitude_deg": 180 / 4_294_967_296.0,
        "longitude_deg": 180 / 4_294_967_296.0, "heart_rate_bpm": 0, "cadence_spm": 0, "vertical_oscillation_mm": 0.05,
        "stance_time_ms": 0.05, "stance_time_balance_pct": 0.005, "step_length_mm": 0.05, "vertical_ratio_pct": 0.005,
    ]

    /// Text formats store what the script printed: only the rounding of doubles (and of the sums
    /// of a derived distance) separates decoded from written.
    static let textResolutions: [String: Double] = [
        "distance_m": 1e-6, "speed_mps": 1e-6, "altitude_m": 0, "latitude_deg": 0, "longitude_deg": 0, "heart_rate_bpm": 0,
        "cadence_spm": 0,
    ]

    /// Every point's time equals the written one, and every value is within `resolutions` of it
    /// (absent where nothing was written); returns the number of values compared.
    @discardableResult
    static func expectMatches(_ track: WatchTrack, _ rows: [[String: Double]], _ resolutions: [String: Double]) -> Int {
        #expect(track.points.count == rows.count)
        var compared = 0
        for (index, (point, row)) in zip(track.points, rows).enumerated() {
            #expect(point.timeUTCS == row["time_utc_s"], "point \(index)")
            for (column, resolution) in resolutions {
                let decoded = Self.value(point, column)
                guard let written = row[column] else {
                    #expect(decoded == nil, "point \(index) \(column): \(String(describing: decoded)) decoded, nothing written")
                    continue
                }
                guard let decoded else {
                    Issue.record("point \(index) \(column): nothing decoded, \(written) written")
                    continue
                }
                #expect(abs(decoded - written) <= resolution + 1e-9 * max(1, abs(written)),
                        "point \(index) \(column): \(decoded) decoded, \(written) written")
                compared += 1
            }
        }
        return compared
    }

    @Test("a ten-minute FIT run decodes to the times, distances, speeds, positions, cadence (steps/min) and running dynamics written")
    func fitRunMatchesTheEncoder() throws {
        let track = try WatchFileReader.read(path: fixturePath("watch/run_10min.fit"))
        #expect(track.format == .fit)
        #expect(track.device == "Garmin product 4024")
        #expect(track.sport == "running")
        #expect(track.warnings.isEmpty, "\(track.warnings)")
        let rows = try Self.expectedRows("run_10min.fit")
        let compared = Self.expectMatches(track, rows, Self.fitResolutions)
        #expect(compared == 600 * 12 - 2)   // two heart rates written invalid (0xFF): nil
        #expect(track.points.allSatisfy { $0.stanceTimePct == 34.5 })
        #expect(track.startUTCS == 1_777_620_600 && track.durationS == 599)
        #expect(abs(track.distanceM! - rows.last!["distance_m"]!) < 0.005)
        #expect(abs(track.averageCadenceSPM! - rows.map { $0["cadence_spm"]! }.reduce(0, +) / 600) < 1e-9)
    }

    @Test("compressed-timestamp headers resolve across the 32 s rollover; a big-endian definition reads; speed invalid at one point is derived from distance")
    func compressedTimestamps() throws {
        let track = try WatchFileReader.read(path: fixturePath("watch/compressed_timestamps.fit"))
        #expect(track.device == "COROS product 7")
        #expect(track.sport == nil)
        var rows = try Self.expectedRows("compressed_timestamps.fit")
        let derived = rows.firstIndex { $0["speed_mps"] == nil }!
        rows[derived]["speed_mps"] = (rows[derived]["distance_m"]! - rows[derived - 1]["distance_m"]!)
            / (rows[derived]["time_utc_s"]! - rows[derived - 1]["time_utc_s"]!)
        var resolutions = Self.fitResolutions.filter { rows[0][$0.key] != nil }
        resolutions["speed_mps"] = 0.0005
        Self.expectMatches(track, rows, resolutions)
        // The 20 s pause: t = 59 then t = 80 (start + 7 s is not a multiple of 32).
        let gap = zip(track.points, track.points.dropFirst()).map { $1.timeUTCS - $0.timeUTCS }
        #expect(gap.filter { $0 != 1 } == [21])
    }

    @Test("developer fields are skipped by their declared size; a repeated and an earlier time are dropped with one warning; speed comes from distance")
    func developerFields() throws {
        let track = try WatchFileReader.read(path: fixturePath("watch/developer_fields.fit"))
        #expect(track.device == "Backstride fixture")
        #expect(track.sport == "running (Tempo)")
        #expect(track.warnings == ["2 points out of time order or repeating an earlier time dropped (the first point of each time is kept)"])
        Self.expectMatches(track, try Self.expectedRows("developer_fields.fit"),
                           ["distance_m": 0.005, "speed_mps": 1e-9, "heart_rate_bpm": 0, "cadence_spm": 0, "altitude_m": 0])
    }

    @Test("GPX: positions, elevation, hr and cad (x 2) as written; distance and speed derived by haversine along the known track; strays dropped")
    func gpxTrack() throws {
        let track = try WatchFileReader.read(path: fixturePath("watch/track.gpx"))
        #expect(track.format == .gpx)
        #expect(track.device == "Backstride fixture & \u{201C}tests\u{201D}")
        #expect(track.sport == "running")
        #expect(track.warnings.count == 2)
        #expect(track.warnings.first?.hasPrefix("2 points out of time order") == true)
        #expect(track.warnings.last == "distance and speed computed from GPS positions (the file gives neither)")
        Self.expectMatches(track, try Self.expectedRows("track.gpx"), Self.textResolutions)
        // 39 steps of 0.0003 degrees of latitude on the 6371008.8 m sphere, 10 s apart.
        let step = 0.0003 * .pi / 180 * WatchTrack.earthMeanRadiusM
        #expect(abs(track.distanceM! - 39 * step) < 1e-6)
        #expect(abs(track.averageSpeedMPS! - step / 10) < 1e-9)
        #expect(track.elevationGainM == 19.5)
    }

    @Test("TCX: trackpoints, Creator/Name, Sport, TPX Speed and RunCadence (x 2); missing speeds derived from DistanceMeters")
    func tcxRun() throws {
        let track = try WatchFileReader.read(path: fixturePath("watch/run.tcx"))
        #expect(track.format == .tcx)
        #expect(track.device == "Forerunner 965")
        #expect(track.sport == "Running")
        #expect(track.warnings.isEmpty)
        Self.expectMatches(track, try Self.expectedRows("run.tcx"), Self.textResolutions)
    }

    @Test("the format comes from the content, whatever the name", arguments: [
        ("run_10min.fit", WatchTrack.Format.fit), ("track.gpx", .gpx), ("run.tcx", .tcx),
    ])
    func formatFromContent(fixture: String, format: WatchTrack.Format) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath("watch/" + fixture))))
        #expect(try WatchFileReader.detectFormat(bytes: bytes, name: "export.txt") == format)
        #expect(try WatchFileReader.read(bytes: bytes, name: "export.txt").format == format)
    }

    @Test("an empty file, a CSV, another XML (KML) and XML without track points are refused, each with a clear error")
    func foreignFiles() throws {
        #expect(caughtError { try WatchFileReader.read(bytes: [], name: "e.fit") } == .emptyFile(path: "e.fit"))
        let csv = Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath("canonical_gyro.csv"))))
        #expect(caughtError { try WatchFileReader.read(bytes: csv, name: "a.csv") }?.description
                == "a.csv: not a watch file (FIT, GPX or TCX): it has neither a FIT header ('.FIT' at bytes 8-11) nor XML")
        let kml = Array("<?xml version=\"1.0\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document/></kml>".utf8)
        #expect(caughtError { try WatchFileReader.read(bytes: kml, name: "a.kml") }?.description
                == "a.kml: not a watch file (FIT, GPX or TCX): its XML root element is <kml>, not <gpx> (GPX) or <TrainingCenterDatabase> (TCX)")
        let route = Array("<gpx version=\"1.1\"><rte><rtept lat=\"1\" lon=\"2\"/></rte></gpx>".utf8)
        #expect(caughtError { try WatchFileReader.read(bytes: route, name: "r.gpx") } == .noTrackPoints(path: "r.gpx", format: "GPX"))
        let untimed = Array("<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"/></trkseg></trk></gpx>".utf8)
        #expect(caughtError { try WatchFileReader.read(bytes: untimed, name: "u.gpx") } == .noTrackPoints(path: "u.gpx", format: "GPX"))
        #expect(caughtError { try WatchFileReader.read(path: "/nonexistent/run.fit") } == .cannotOpen(path: "/nonexistent/run.fit", reason: "No such file or directory"))
    }

    @Test("haversine: a degree along the equator and a meridian is R x pi/180; at 60 N it matches the spherical law of cosines")
    func haversine() {
        let degree = WatchTrack.earthMeanRadiusM * .pi / 180
        #expect(abs(WatchTrack.greatCircleM(latitude1Deg: 0, longitude1Deg: 0, latitude2Deg: 0, longitude2Deg: 1) - degree) < 1e-6)
        #expect(abs(WatchTrack.greatCircleM(latitude1Deg: 10, longitude1Deg: 5, latitude2Deg: 11, longitude2Deg: 5) - degree) < 1e-6)
        let latitude = 60 * Double.pi / 180
        let lawOfCosines = WatchTrack.earthMeanRadiusM * acos(sin(latitude) * sin(latitude) + cos(latitude) * cos(latitude) * cos(Double.pi / 180))
        #expect(abs(WatchTrack.greatCircleM(latitude1Deg: 60, longitude1Deg: 0, latitude2Deg: 60, longitude2Deg: 1) - lawOfCosines) < 1e-3)
        #expect(WatchTrack.greatCircleM(latitude1Deg: 45, longitude1Deg: 7, latitude2Deg: 45, longitude2Deg: 7) == 0)
    }

    /// A TCX of trackpoints at `times` (seconds after 2026-05-01T07:30:00Z), distance 3 m a second.
    static func tcx(times: [Int], zone: String = "Z") -> [UInt8] {
        let points = times.map { t in
            "<Trackpoint><Time>2026-05-01T07:30:\(String(format: "%02d", t))\(zone)</Time><DistanceMeters>\(3 * t)</DistanceMeters></Trackpoint>"
        }
        return Array(("<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap><Track>" + points.joined()
                      + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>").utf8)
    }

    @Test("points out of order or repeating a time: the first of each time is kept, the rest dropped with one warning naming the count")
    func unorderedPoints() throws {
        let track = try WatchFileReader.read(bytes: Self.tcx(times: [0, 1, 1, 2, 5, 3, 4, 6, 6, 7]), name: "u.tcx")
        #expect(track.points.map { $0.timeUTCS - 1_777_620_600 } == [0, 1, 2, 5, 6, 7])
        #expect(track.warnings == ["4 points out of time order or repeating an earlier time dropped (the first point of each time is kept)"])
        #expect(track.points.map(\.speedMPS) == [3, 3, 3, 3, 3, 3])
    }

    @Test("times with a zone offset are converted to UTC; times without one are read as UTC with a warning")
    func timeZones() throws {
        let offset = try WatchFileReader.read(bytes: Self.tcx(times: [0, 1], zone: "+02:00"), name: "z.tcx")
        #expect(offset.startUTCS == Double(1_777_620_600 - 7200))
        let local = try WatchFileReader.read(bytes: Self.tcx(times: [0, 1, 2], zone: ".5"), name: "l.tcx")
        #expect(local.startUTCS == 1_777_620_600.5)
        #expect(local.warnings == ["3 times without a zone read as UTC"])
        let bad = caughtError { try WatchFileReader.read(bytes: Self.tcx(times: [0], zone: "+25:00"), name: "b.tcx") }
        #expect(bad?.description == "b.tcx:1: byte 92: 'Trackpoint/Time': '2026-05-01T07:30:00+25:00' is not a date and time such as 2026-05-01T07:30:00Z")
    }

    @Test("a chained FIT file is read up to the first file's end, with a warning")
    func chainedFIT() throws {
        let first = Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath("watch/run_10min.fit"))))
        let second = Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath("watch/compressed_timestamps.fit"))))
        let track = try WatchFileReader.read(bytes: first + second, name: "chained.fit")
        #expect(track.points.count == 600)
        #expect(track.warnings == ["\(second.count) bytes follow the first FIT file (a chained FIT file); only the first file was read"])
    }

    @Test("GPX coordinates out of range and non-numbers are errors naming the line, the byte and the field")
    func gpxValueErrors() {
        let latitude = Array("<gpx>\n<trk><trkseg>\n<trkpt lat=\"91\" lon=\"2\"><time>2026-05-01T07:30:00Z</time></trkpt></trkseg></trk></gpx>".utf8)
        #expect(caughtError { try WatchFileReader.read(bytes: latitude, name: "c.gpx") }?.description
                == "c.gpx:3: byte 27: 'trkpt@lat': '91' is not a coordinate in degrees from -90 to 90")
        let heartRate = Array("<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><extensions><ns3:TrackPointExtension><ns3:hr>1O0</ns3:hr></ns3:TrackPointExtension></extensions></trkpt></trkseg></trk></gpx>".utf8)
        #expect(caughtError { try WatchFileReader.read(bytes: heartRate, name: "h.gpx") }?.description
                == "h.gpx:1: byte 86: 'trkpt/extensions/hr': '1O0' is not a number")
    }
}
