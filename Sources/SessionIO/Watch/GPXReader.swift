/// Reads the track points of a GPX 1.1 file (Topografix, "GPX 1.1 Schema Documentation",
/// topografix.com/GPX/1/1): `trk/trkseg/trkpt` with its `lat`/`lon` attributes, `ele` and `time`,
/// and in `extensions` Garmin's TrackPointExtension v1/v2 (`hr`, `cad`, and v2's `speed`, m/s),
/// matched by local name whatever the namespace prefix. The device is `gpx@creator`, the sport
/// `trk/type`. Route and waypoints (`rte`, `wpt`) are not a recording and are ignored.
enum GPXReader {
    /// Reads on from the root `<gpx>` start tag (already consumed, its attributes given).
    static func read(_ scanner: inout XMLScanner, rootAttributes: [XMLScanner.Attribute]) throws(SessionIOError) -> WatchFileContent {
        var content = WatchFileContent()
        content.device = rootAttributes.first { $0.name == "creator" }.map { $0.value.trimmingASCIIWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        var names = ["gpx"]
        var text = "", textOffset = 0
        var point: WatchPoint?
        var pointDepth = 0
        var pointHasTime = false
        var pointsWithoutTime = 0, timesWithoutZone = 0
        while let event = try scanner.next() {
            switch event {
            case .start(let name, let attributes, let offset):
                names.append(name)
                text = ""
                textOffset = offset
                guard name == "trkpt", point == nil, names.count >= 2, names[names.count - 2] == "trkseg" else { continue }
                func coordinate(_ key: String, _ limit: Double) throws(SessionIOError) -> Double {
                    guard let attribute = attributes.first(where: { $0.name == key }) else {
                        throw scanner.invalidValue("", field: "trkpt@\(key)", offset: offset, expected: "present (GPX requires lat and lon)")
                    }
                    return try scanner.number(attribute.value, field: "trkpt@\(key)", offset: attribute.offset, range: -limit...limit,
                                              expected: "a coordinate in degrees from \(Int(-limit)) to \(Int(limit))")
                }
                point = WatchPoint(timeUTCS: 0, latitudeDeg: try coordinate("lat", 90), longitudeDeg: try coordinate("lon", 180))
                pointDepth = names.count
                pointHasTime = false
            case .text(let string, let offset):
                if text.isEmpty { textOffset = offset }
                text += string
            case .end(let name, _):
                let depth = names.count
                let parent = depth >= 2 ? names[depth - 2] : ""
                names.removeLast()
                defer { text = "" }
                guard var current = point else {
                    if name == "type", parent == "trk", content.sport == nil {
                        let sport = text.trimmingASCIIWhitespace()
                        if !sport.isEmpty { content.sport = sport }
                    }
                    continue
                }
                if depth == pointDepth {
                    if pointHasTime { content.points.append(current) } else { pointsWithoutTime += 1 }
                    point = nil
                    continue
                }
                if depth == pointDepth + 1 {
                    switch name {
                    case "ele": current.altitudeM = try scanner.number(text, field: "trkpt/ele", offset: textOffset)
                    case "time":
                        let time = try scanner.utcTime(text, field: "trkpt/time", offset: textOffset)
                        current.timeUTCS = time.seconds
                        pointHasTime = true
                        if !time.hasZone { timesWithoutZone += 1 }
                    default: break
                    }
                } else if names[pointDepth...].contains("extensions") {
                    switch name {
                    case "hr": current.heartRateBPM = try scanner.number(text, field: "trkpt/extensions/hr", offset: textOffset)
                    case "cad": current.cadenceSPM = 2 * (try scanner.number(text, field: "trkpt/extensions/cad", offset: textOffset))
                    case "speed": current.speedMPS = try scanner.number(text, field: "trkpt/extensions/speed", offset: textOffset)
                    default: break
                    }
                }
                point = current
            }
        }
        if pointsWithoutTime > 0 {
            content.warnings.append("\(pointsWithoutTime) track point\(pointsWithoutTime == 1 ? "" : "s") without a time skipped")
        }
        if timesWithoutZone > 0 {
            content.warnings.append("\(timesWithoutZone) time\(timesWithoutZone == 1 ? "" : "s") without a zone read as UTC (as GPX 1.1 specifies)")
        }
        return content
    }
}
