import Foundation
import GaitDSP

/// The one-line, desktop-notification-style message gaitd logs when a session is analysed:
/// "run of 2026-11-25 07:12, 42 min, 168 steps/min — analysed".
enum SessionNotification {
    /// The message for `analysis` of the session from `origin` ("clip BSC-0001 session 2", "file
    /// run.csv") that started at `startedAt` (shown in local time; nil: unknown).
    static func message(origin: String, startedAt: Date?, analysis: GaitAnalysis, timeZone: TimeZone = .current) -> String {
        let kind: String
        switch analysis.summary.primaryActivity {
        case .running: kind = "run"
        case .walking: kind = "walk"
        default: kind = "session"
        }
        var parts: [String] = []
        if let startedAt {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            parts.append("\(kind) of \(formatter.string(from: startedAt)) (\(origin))")
        } else {
            parts.append("\(kind) from \(origin), start unknown")
        }
        parts.append("\(Int((analysis.durationS / 60).rounded())) min")
        if let cadence = analysis.summary.metrics?.cadenceSpm {
            parts.append("\(Int(cadence.rounded())) steps/min")
        } else {
            parts.append("\(analysis.summary.stepCount) steps")
        }
        return parts.joined(separator: ", ") + " — analysed"
    }
}
