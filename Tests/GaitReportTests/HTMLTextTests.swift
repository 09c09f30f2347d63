import Testing
@testable import GaitReport

/// Escaping and number formatting of the HTML and SVG writers.
@Suite("HTML text")
struct HTMLTextTests {
    @Test("markup characters are escaped for element content and quoted attributes")
    func escapesMarkup() {
        #expect(HTMLText.escape("<a href=\"x\">O'Neil & co</a>") == "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;")
        #expect(HTMLText.escape("Zoë – plain") == "Zoë – plain")
    }

    @Test("fixed-point numbers round half away from zero and never print an exponent", arguments: [
        (0.0, 1, "0.0"), (1.25, 1, "1.3"), (-1.25, 1, "-1.3"), (-0.04, 1, "0.0"), (1234567.891, 2, "1234567.89"), (1e-7, 3, "0.000"), (720, 0, "720"),
    ])
    func fixedPoint(value: Double, decimals: Int, expected: String) {
        #expect(HTMLText.fixed(value, decimals) == expected)
    }

    @Test("durations read as clock times")
    func clockTimes() {
        #expect(HTMLText.clock(59.6) == "1:00")
        #expect(HTMLText.clock(3723) == "1:02:03")
    }

    @Test("plot ticks are 1, 2 or 5 steps inside the domain")
    func ticksAreNice() {
        let scale = PlotScale(domainLow: 0.3, domainHigh: 9.7, rangeLow: 0, rangeHigh: 100)
        #expect(scale.ticks(maximumCount: 5) == [2, 4, 6, 8])
        #expect(scale.position(-5) == 0 && scale.position(50) == 100, "clamped to the frame")
    }
}

/// The tests' own HTML checks must find what they look for.
@Suite("HTML checks")
struct HTMLChecksTests {
    @Test("the nesting check finds an unclosed SVG, a misnested tag and a stray '<'")
    func nestingCheckFindsProblems() {
        #expect(HTMLChecks.nestingProblem("<p><svg class=\"plot\"><path d=\"M0 0\"/></p>") != nil)
        #expect(HTMLChecks.nestingProblem("<div><span></div></span>") != nil)
        #expect(HTMLChecks.nestingProblem("<p>1 < 2</p>") != nil)
        #expect(HTMLChecks.nestingProblem("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>a > b {}</style></head><body><br></body></html>") == nil)
    }

    @Test("CSV rows are split with quoted commas, quotes and line breaks kept")
    func csvRowsAreParsed() {
        #expect(HTMLChecks.csvRows("a,b\n\"x, \"\"y\"\"\",\"1\n2\"\n") == [["a", "b"], ["x, \"y\"", "1\n2"]])
        #expect(ReportCSV.field("x, \"y\"") == "\"x, \"\"y\"\"\"")
    }
}
