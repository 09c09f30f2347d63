/// Reads the trackpoints of a TCX file (Garmin Training Center Database v2,
/// garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd): every `Trackpoint` with `Time`,
/// `Position/LatitudeDegrees` and `LongitudeDegrees`, `AltitudeMeters`, `DistanceMeters`,
/// `HeartRateBpm/Value` and `Cadence`, and in `Extensions` the ActivityExtension v2 `TPX/Speed`
/// (m/s) and `TPX/RunCadence`, matched by local name whatever the namespace prefix. The device is
/// the first `Activity/Creator/Name`, the sport the first `Activity@Sport`.
enum TCXReader {
    /// Reads on from the root `<TrainingCenterDatabase>` start tag (already consumed).
    static func read(_ scanner: inout XMLScanner) throws(SessionIOError) -> WatchFileContent {
        var content = WatchFileContent()
        var names = ["TrainingCenterDatabase"]
        var text = "", textOffset = 0
        var point: WatchPoint?
        var pointDepth = 0
        var pointHasTime = false
        var latitude: Double?, longitude: Double?, cadence: Double?, runCadence: Double?
        var pointsWithoutTime = 0, timesWithoutZone = 0
        while let event = try scanner.next() {
            switch event {
            case .start(let name, let attributes, let offset):
                names.append(name)
                text = ""
                textOffset = offset
                if name == "Activity", content.sport == nil,
                   let sport = attributes.first(where: { $0.name == "Sport" })?.value.trimmingASCIIWhitespace(), !sport.isEmpty {
                    content.sport = sport
                }
                if name == "Trackpoint", point == nil {
                    point = WatchPoint(timeUTCS: 0)
                    pointDepth = names.count
                    pointHasTime = false
                    (latitude, longitude, cadence, runCadence) = (nil, nil, nil, nil)
                }
            case .text(let string, let offset):
                if text.isEmpty { textOffset = offset }
                text += string
            case .end(let name, _):
                let depth = names.count
                let parent = depth >= 2 ? names[depth - 2] : ""
                names.removeLast()
                defer { text = "" }
                guard var current = point else {
                    if name == "Name", parent == "Creator", depth >= 3, names[depth - 3] == "Activity", content.device == nil {
                        let device = text.trimmingASCIIWhitespace()
                        if !device.isEmpty { content.device = device }
                    }
                    continue
                }
                if depth == pointDepth {
                    if let latitude, let longitude {
                        current.latitudeDeg = latitude
                        current.longitudeDeg = longitude
                    }
                    if let strides = runCadence ?? cadence { current.cadenceSPM = 2 * strides }
                    if pointHasTime { content.points.append(current) } else { pointsWithoutTime += 1 }
                    point = nil
                    continue
                }
                let field = "Trackpoint/" + (depth == pointDepth + 1 ? name : parent + "/" + name)
                switch (name, depth == pointDepth + 1 ? "Trackpoint" : parent) {
                case ("Time", "Trackpoint"):
                    let time = try scanner.utcTime(text, field: field, offset: textOffset)
                    current.timeUTCS = time.seconds
                    pointHasTime = true
                    if !time.hasZone { timesWithoutZone += 1 }
                case ("AltitudeMeters", "Trackpoint"): current.altitudeM = try scanner.number(text, field: field, offset: textOffset)
                case ("DistanceMeters", "Trackpoint"): current.distanceM = try scanner.number(text, field: field, offset: textOffset)
                case ("Cadence", "Trackpoint"): cadence = try scanner.number(text, field: field, offset: textOffset)
                case ("Value", "HeartRateBpm"): current.heartRateBPM = try scanner.number(text, field: field, offset: textOffset)
                case ("LatitudeDegrees", "Position"):
                    latitude = try scanner.number(text, field: field, offset: textOffset, range: -90...90,
                                                  expected: "a latitude in degrees from -90 to 90")
                case ("LongitudeDegrees", "Position"):
                    longitude = try scanner.number(text, field: field, offset: textOffset, range: -180...180,
                                                   expected: "a longitude in degrees from -180 to 180")
                case ("Speed", "TPX"): current.speedMPS = try scanner.number(text, field: field, offset: textOffset)
                case ("RunCadence", "TPX"): runCadence = try scanner.number(text, field: field, offset: textOffset)
                default: break
                }
                point = current
            }
        }
        if pointsWithoutTime > 0 {
            content.warnings.append("\(pointsWithoutTime) trackpoint\(pointsWithoutTime == 1 ? "" : "s") without a time skipped")
        }
        if timesWithoutZone > 0 {
            content.warnings.append("\(timesWithoutZone) time\(timesWithoutZone == 1 ? "" : "s") without a zone read as UTC")
        }
        return content
    }
}
