import ArgumentParser
import Foundation
import SessionIO

/// `gait watch FILE`: summarises a runner's watch file (FIT, GPX or TCX).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Summarise a watch file (FIT, GPX or TCX): device, sport, start, duration, distance, speed, cadence.",
        discussion: """
        The format is recognised from the content: FIT (Garmin, COROS, Suunto, Wahoo …), GPX 1.1 with \
        Garmin's TrackPointExtension, or TCX. Cadence is shown in steps per minute (watches store strides \
        per minute). Where the file gives no speed it is derived from distance over time; where it gives \
        neither (most GPX), from the GPS positions. Exit status: 0 when the file was read, 65 when it is \
        damaged or not a watch file (one line on stderr naming the file and the byte offset or line), \
        66 when it cannot be opened.
        """
    )

    @Argument(help: "The watch file: FIT, GPX or TCX.")
    var file: String

    func run() throws {
        let track = try Terminal.io { () throws(SessionIOError) in try WatchFileReader.read(path: file) }
        print(Self.summary(track), terminator: "")
    }

    /// The summary lines, each "label  value".
    static func summary(_ track: WatchTrack) -> String {
        var lines: [(String, String)] = [
            ("watch file", Terminal.printable(track.path)),
            ("format", track.format.rawValue.uppercased()),
            ("device", track.device.map(Terminal.printable) ?? "not in the file"),
            ("sport", track.sport.map(Terminal.printable) ?? "not in the file"),
            ("start", track.startUTCS.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) } ?? "-"),
            ("duration", "\(clock(track.durationS)) (\(String(format: "%.0f", track.durationS)) s)"),
            ("distance", track.distanceM.map { String(format: "%.2f km", $0 / 1000) } ?? "not in the file"),
        ]
        if let speed = track.averageSpeedMPS, speed > 0 {
            lines.append(("speed", String(format: "%.2f m/s average, pace %@ /km", speed, clock(1000 / speed))))
        } else {
            lines.append(("speed", "-"))
        }
        lines.append(("elevation", track.elevationGainM.map { String(format: "+%.1f m gain (unsmoothed)", $0) } ?? "not in the file"))
        lines.append(("cadence", track.averageCadenceSPM.map { String(format: "%.1f steps/min average", $0) } ?? "not in the file"))
        lines.append(("points", "\(track.points.count)"))
        lines.append(("warnings", track.warnings.isEmpty ? "none" : "\(track.warnings.count)"))
        var text = lines.map { $0.0.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n") + "\n"
        for warning in track.warnings { text += "  - " + Terminal.printable(warning) + "\n" }
        return text
    }

    /// `h:mm:ss` or `m:ss`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e9 else { return "-" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
