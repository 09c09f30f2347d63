import Foundation
import GaitReport
import Testing

/// `UTCDate`, the days and minutes the reports, pages and dashboard show, made without a `DateFormatter`.
@Suite("UTC dates")
struct UTCDateTests {
    @Test("a time reads as DateFormatter's yyyy-MM-dd and yyyy-MM-dd HH:mm in UTC, seconds and fractions dropped", arguments: [
        0, 59.999, 951_782_400 + 43_200, 1_764_672_000 + 3_599.5, 1_777_000_000.9, -86_400.25, 4_102_444_799,
    ] as [Double])
    func matchesDateFormatter(secondsSince1970: Double) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        let date = Date(timeIntervalSince1970: secondsSince1970)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        #expect(UTCDate.minute(date) == formatter.string(from: date))
        formatter.dateFormat = "yyyy-MM-dd"
        #expect(UTCDate.day(date) == formatter.string(from: date))
    }
}
