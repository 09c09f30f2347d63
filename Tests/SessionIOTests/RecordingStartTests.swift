import GaitDSP
@testable import SessionIO
import Testing

/// The start of a recording, as each format states it; never guessed.
@Suite("Recording start times")
struct RecordingStartTests {
    @Test("GENEActiv: Start Time in the stated zone (GMT -04), MetaWear: epoch (ms) of the first row, Sensor Logger: time (ns)")
    func startsOfTheFixtures() throws {
        let geneActiv = try CSVSessionReader.readAll(path: fixturePath("geneactiv_lowerback.csv")).1
        // 2019-08-06 10:25:50 at UTC−4 is 14:25:50 UTC.
        #expect(geneActiv.startUTCS == 1_565_101_550)
        let metaWear = try CSVSessionReader.readAll(path: fixturePath("metawear_accelerometer.csv")).1
        #expect(metaWear.startUTCS == 1_559_827_972)
        let sensorLogger = try CSVSessionReader.readAll(path: fixturePath("sensorlogger/TotalAcceleration.csv")).1
        #expect(sensorLogger.startUTCS == 1_727_600_000)
        // phyphox and the canonical fixtures do not say.
        #expect(try CSVSessionReader.readAll(path: fixturePath("phyphox_acceleration_with_g.csv")).1.startUTCS == nil)
        #expect(try CSVSessionReader.readAll(path: fixturePath("canonical_gyro.csv")).1.startUTCS == nil)
    }

    @Test("a canonical CSV's start_utc is read with Z or an offset; a local time or nonsense is ignored with a warning")
    func canonicalStartUTC() throws {
        func read(_ value: String) throws -> (Double?, [SessionIOWarning]) {
            let (_, metadata, warnings) = try readAllSmallChunks("# fs_hz=100\n# start_utc=\(value)\nt_s,ax_g,ay_g,az_g\n0,0,0,1\n0.01,0,0,1\n")
            return (metadata.startUTCS, warnings)
        }
        #expect(try read("2026-05-01T07:30:00Z").0 == 1_777_620_600)
        #expect(try read("2026-05-01 09:30:00.250+02:00").0 == 1_777_620_600.25)
        #expect(try read("1777620600").0 == 1_777_620_600)
        for bad in ["2026-05-01T07:30:00", "yesterday", "1899-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-05-01T07:30:00+25:00"] {
            let (start, warnings) = try read(bad)
            #expect(start == nil, "\(bad)")
            #expect(warnings.contains { $0.description.contains("start_utc=\(bad)' ignored") }, "\(bad): \(warnings)")
        }
    }

    @Test("GENEActiv zones: +05:30 and UTC are understood; a start without its zone is unknown")
    func geneActivZones() {
        #expect(RecordingStart.geneActiv(start: "2019-08-06 10:25:50:000", timeZone: "GMT +05:30") == 1_565_067_350)
        #expect(RecordingStart.geneActiv(start: "2019-08-06 10:25:50:500", timeZone: "GMT") == 1_565_087_150.5)
        #expect(RecordingStart.geneActiv(start: "2019-08-06 10:25:50:000", timeZone: nil) == nil)
        #expect(RecordingStart.geneActiv(start: "garbage", timeZone: "GMT -04") == nil)
    }

    @Test("an epoch column with an impossible first value gives no start")
    func impossibleEpochs() {
        #expect(RecordingStart.firstRow(header: ["epoch (ms)", "x-axis (g)"], row: ["12", "0"], dialect: .metaWear) == nil)
        #expect(RecordingStart.firstRow(header: ["time", "x"], row: ["nan", "0"], dialect: .sensorLogger) == nil)
        #expect(RecordingStart.firstRow(header: ["time", "x"], row: ["1727600000000000000", "0"], dialect: .phyphox) == nil)
    }
}
