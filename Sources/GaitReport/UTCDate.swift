import Foundation

/// Dates as UTC text without a DateFormatter: one costs tens of microseconds to make, and a runner
/// report or a dashboard names hundreds of days.
public enum UTCDate {
    /// "2026-05-02".
    public static func day(_ date: Date) -> String {
        let fields = self.fields(date)
        return "\(fields.tm_year + 1900)-\(twoDigits(fields.tm_mon + 1))-\(twoDigits(fields.tm_mday))"
    }

    /// "2026-05-02 07:12".
    public static func minute(_ date: Date) -> String {
        let fields = self.fields(date)
        return day(date) + " \(twoDigits(fields.tm_hour)):\(twoDigits(fields.tm_min))"
    }

    private static func fields(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return fields
    }

    private static func twoDigits(_ number: Int32) -> String { number < 10 ? "0\(number)" : String(number) }
}
