import Foundation
@testable import GaitServer
import Testing

/// `PageController.day`, the minute the pages and the dashboard show, made without a `DateFormatter`.
@Suite("Page dates")
struct PageDayTests {
    @Test("a time reads as DateFormatter's yyyy-MM-dd HH:mm in UTC, seconds and fractions dropped", arguments: [
        0, 59.999, 951_782_400 + 43_200, 1_764_672_000 + 3_599.5, 1_777_000_000.9, -86_400.25, 4_102_444_799,
    ] as [Double])
    func dayMatchesDateFormatter(secondsSince1970: Double) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let date = Date(timeIntervalSince1970: secondsSince1970)
        #expect(PageController.day(date) == formatter.string(from: date))
    }
}
