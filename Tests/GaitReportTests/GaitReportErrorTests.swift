import Testing
@testable import GaitReport

@Test func reportErrorsNameTheMissingSessionOrRunner() {
    #expect(GaitReportError.sessionNotFound(42).description.contains("42"))
    #expect(GaitReportError.runnerNotFound(7).description.contains("7"))
}
