import Foundation
import GaitSynth

/// A runner's watch file for a GaitSynth session, written as GPX 1.1 with Garmin's
/// TrackPointExtension: one point a second along a straight line north, with the plan's speed and
/// cadence (strides/min, as watches write it), so a test can pair a clip session with "its" watch.
public enum SyntheticWatch {
    /// GPX text for `config`'s plan, its first point at `startUTC` (seconds since 1970), the
    /// elevation rising by `gradePct` % of the distance.
    public static func gpx(_ config: SynthConfig, startUTC: Double, gradePct: Double = 0) -> String {
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<gpx version="1.1" creator="Backstride tests" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">"#,
            "<trk><name>synthetic run</name><trkseg>",
        ]
        let formatter = ISO8601DateFormatter()
        var distance = 0.0, t = 0.0
        for segment in config.segments {
            let moving = segment.kind != .standing
            let speed = moving ? segment.speedMps : 0
            let strides = moving ? segment.cadenceSpm / 2 : 0
            var s = 0.0
            while s < segment.durationS {
                let latitude = 46.5 + distance / 111_195
                let elevation = 400 + distance * gradePct / 100
                lines.append(String(format: #"<trkpt lat="%.7f" lon="6.6000000"><ele>%.2f</ele><time>%@</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>%.0f</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"#,
                                    latitude, elevation, formatter.string(from: Date(timeIntervalSince1970: (startUTC + t).rounded())), strides))
                distance += speed
                s += 1
                t += 1
            }
        }
        lines.append("</trkseg></trk></gpx>")
        return lines.joined(separator: "\n")
    }

    /// Writes `gpx(…)` to `folder/name.gpx` and returns its path.
    public static func write(_ config: SynthConfig, startUTC: Double, in folder: String, name: String, gradePct: Double = 0) throws -> String {
        let path = folder + "/" + name + ".gpx"
        try gpx(config, startUTC: startUTC, gradePct: gradePct).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
