import Testing
import GaitDSP
@testable import SessionIO

@Suite("CSVSessionReader dialects")
struct CSVSessionReaderDialectTests {
    @Test("canonical file with gyro: comments become metadata, values are read exactly")
    func canonicalWithGyroAndComments() throws {
        let (block, metadata, warnings) = try CSVSessionReader.readAll(path: fixturePath("canonical_gyro.csv"))
        #expect(metadata.dialect == .canonical)
        #expect(metadata.declaredSampleRateHz == 100)
        #expect(metadata.device == "Backstride clip v2")
        #expect(metadata.serial == "BS-000123")
        #expect(metadata.comments == ["recorded on the track, lap 3"])
        #expect(metadata.hasGyro)
        #expect(metadata.accelUnit == .g)
        #expect(metadata.headerLine == 5)
        #expect(metadata.columns.gyroZ?.name == "gz_dps")
        #expect(warnings.isEmpty)
        #expect(block.count == 50)
        #expect(block.timeS[1] == 0.01)
        #expect(block.accelYG[0] == Float(-0.68))
        #expect(block.gyroYDPS.allSatisfy { $0 == -3.25 })
        #expect(block.gyroZDPS.allSatisfy { $0 == 1.5 })
    }

    @Test("canonical columns in any order, in m/s² with an extra column and CRLF, are converted to g")
    func canonicalReorderedMetresPerSecondSquared() throws {
        let (block, metadata, _) = try CSVSessionReader.readAll(path: fixturePath("canonical_mps2_reordered_crlf.csv"))
        #expect(metadata.accelUnit == .metresPerSecondSquared)
        #expect(metadata.columns.time.index == 2)
        #expect(!metadata.hasGyro)
        #expect(block.count == 20)
        #expect(block.accelZG.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(block.accelYG.allSatisfy { abs($0 + 0.5) < 1e-6 })
        #expect(block.accelXG.allSatisfy { $0 == 0 })
        #expect(abs(block.timeS[19] - 0.19) < 1e-12)
    }

    @Test("phyphox 'Acceleration with g' export with quoted header and E notation")
    func phyphoxAccelerationWithG() throws {
        let (block, metadata, _) = try CSVSessionReader.readAll(path: fixturePath("phyphox_acceleration_with_g.csv"))
        #expect(metadata.dialect == .phyphox)
        #expect(metadata.accelUnit == .metresPerSecondSquared)
        #expect(metadata.columns.accelX.name == "Acceleration x (m/s^2)")
        #expect(block.count == 30)
        #expect(abs(block.timeS[0] - 0.0123) < 1e-12)
        #expect(block.accelYG.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(abs(block.accelZG[0] + Float(0.5 / 9.80665)) < 1e-7)
    }

    @Test("phyphox semicolon-separated export with decimal comma")
    func phyphoxSemicolonDecimalComma() throws {
        let (block, metadata, _) = try CSVSessionReader.readAll(path: fixturePath("phyphox_semicolon_decimal_comma.csv"))
        #expect(metadata.delimiter == ";")
        #expect(metadata.acceptsDecimalComma)
        #expect(block.count == 10)
        #expect(abs(block.timeS[9] - 0.09) < 1e-12)
        #expect(block.accelYG.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(block.accelZG.allSatisfy { abs($0 + Float(0.5 / 9.80665)) < 1e-7 })
    }

    @Test("phyphox 'Linear Acceleration' is rejected: gravity is missing, use 'Acceleration with g'")
    func phyphoxLinearAccelerationRejected() {
        let error = caughtError { try CSVSessionReader(path: fixturePath("phyphox_linear_acceleration.csv")) }
        guard case .gravityRemoved(_, 1, _)? = error else {
            Issue.record("expected gravityRemoved, got \(String(describing: error))")
            return
        }
        #expect(error!.description.contains("gravity removed"))
        #expect(error!.description.contains("Acceleration with g"))
    }

    @Test("phyphox gyroscope-only export is rejected with advice")
    func phyphoxGyroscopeOnlyRejected() {
        let error = caughtError { try CSVSessionReader(path: fixturePath("phyphox_gyroscope.csv")) }
        guard case .gyroscopeOnly? = error else {
            Issue.record("expected gyroscopeOnly, got \(String(describing: error))")
            return
        }
    }

    @Test("phyphox file that also has gyroscope columns converts rad/s to deg/s")
    func phyphoxWithGyroscopeColumns() throws {
        let text = """
        "Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)","Gyroscope x (rad/s)","Gyroscope y (rad/s)","Gyroscope z (rad/s)"
        0.0,0.0,9.80665,0.0,3.141592653589793,0,-1.5707963267948966

        """
        let (block, metadata, _) = try CSVSessionReader.readAll(text: text)
        #expect(metadata.hasGyro && metadata.gyroUnit == .radiansPerSecond)
        #expect(abs(block.gyroXDPS[0] - 180) < 1e-4)
        #expect(abs(block.gyroZDPS[0] + 90) < 1e-4)
    }

    @Test("Sensor Logger TotalAcceleration.csv: z,y,x order, m/s², seconds_elapsed as time")
    func sensorLoggerTotalAcceleration() throws {
        let (block, metadata, warnings) = try CSVSessionReader.readAll(path: fixturePath("sensorlogger/TotalAcceleration.csv"))
        #expect(metadata.dialect == .sensorLogger)
        #expect(metadata.columns.time.name == "seconds_elapsed")
        #expect(metadata.columns.accelX.index == 4)
        #expect(warnings.isEmpty)
        #expect(block.count == 25)
        #expect(abs(block.timeS[0] - 0.143471) < 1e-12)
        #expect(block.accelZG.allSatisfy { abs($0 + 1) < 1e-6 })
        #expect(block.accelXG.allSatisfy { abs($0 - 0.2) < 1e-6 })
        #expect(abs(block.accelYG[2] - 0.2) < 1e-6)
    }

    @Test("Sensor Logger without seconds_elapsed uses time in ns; Accelerometer.csv warns about gravity")
    func sensorLoggerNanosecondsAndAccelerometerWarning() throws {
        let text = "time,z,y,x\n1727600000000000000,-9.80665,0,0\n1727600000010000000,-9.80665,0,0\n"
        let (block, metadata, warnings) = try CSVSessionReader.readAll(text: text, name: "run/Accelerometer.csv")
        #expect(metadata.columns.time.name == "time")
        #expect(abs((block.timeS[1] - block.timeS[0]) - 0.01) < 1e-6)
        #expect(warnings.count == 1)
        guard case .gravityMayBeMissing? = warnings.first else {
            Issue.record("expected gravityMayBeMissing")
            return
        }
        let gyroError = caughtError { try CSVSessionReader(text: text, name: "run/Gyroscope.csv") }
        guard case .gyroscopeOnly? = gyroError else {
            Issue.record("expected gyroscopeOnly for Gyroscope.csv, got \(String(describing: gyroError))")
            return
        }
    }

    @Test("MetaWear MetaBase export uses 'elapsed (s)' and ignores the local time string")
    func metaWearExport() throws {
        let (block, metadata, _) = try CSVSessionReader.readAll(path: fixturePath("metawear_accelerometer.csv"))
        #expect(metadata.dialect == .metaWear)
        #expect(metadata.columns.time.name == "elapsed (s)")
        #expect(block.count == 25)
        #expect(abs(block.timeS[24] - 0.24) < 1e-12)
        #expect(block.accelYG.allSatisfy { $0 == Float(-0.998) })
    }

    @Test("MetaWear export without 'elapsed (s)' falls back to epoch milliseconds")
    func metaWearEpochFallback() throws {
        let text = "epoch (ms),x-axis (g),y-axis (g),z-axis (g)\n1559827972000,0,1,0\n1559827972010,0,1,0\n"
        let (block, _, _) = try CSVSessionReader.readAll(text: text)
        #expect(abs((block.timeS[1] - block.timeS[0]) - 0.01) < 1e-6)
    }

    @Test("GENEActiv CSV: preamble gives device, serial and rate; timestamps become seconds from the first")
    func geneActivExport() throws {
        let (block, metadata, _) = try CSVSessionReader.readAll(path: fixturePath("geneactiv_lowerback.csv"))
        #expect(metadata.dialect == .geneActiv)
        #expect(metadata.device == "GENEActiv 1.1")
        #expect(metadata.serial == "046164")
        #expect(metadata.declaredSampleRateHz == 50)
        #expect(metadata.properties["Device Location Code"] == "back")
        #expect(metadata.headerLine == nil)
        #expect(block.count == 40)
        #expect(block.timeS[0] == 0)
        #expect(abs(block.timeS[39] - 0.78) < 1e-9)
        #expect(block.accelXG[0] == Float(-0.4264))
        #expect(block.accelYG[0] == Float(0.7279))
        #expect(block.accelZG[1] == Float(0.4453))
    }

    @Test("GENEActiv timestamps across midnight keep increasing")
    func geneActivMidnightRollover() throws {
        let text = """
        Device Type,GENEActiv
        Measurement Frequency,100 Hz
        Calibration Data,
        2019-12-31 23:59:59:990,0,0,1,0,0,25
        2020-01-01 00:00:00:000,0,0,1,0,0,25
        2020-01-01 00:00:00:010,0,0,1,0,0,25

        """
        let (block, metadata, _) = try CSVSessionReader.readAll(text: text)
        #expect(metadata.declaredSampleRateHz == 100)
        #expect(block.count == 3)
        #expect(abs(block.timeS[1] - 0.01) < 1e-9)
        #expect(abs(block.timeS[2] - 0.02) < 1e-9)
    }

    @Test("an unknown header is an error that lists every accepted header")
    func unknownHeaderListsAcceptedHeaders() {
        let error = caughtError { try CSVSessionReader(text: "# hello\nfoo,bar,baz\n1,2,3\n", name: "data.csv") }
        guard case .unrecognisedHeader("data.csv", 2, "foo,bar,baz")? = error else {
            Issue.record("expected unrecognisedHeader, got \(String(describing: error))")
            return
        }
        let description = error!.description
        #expect(description.hasPrefix("data.csv:2: unrecognised header 'foo,bar,baz'"))
        for needle in ["t_s,ax_g", "Time (s)", "time,seconds_elapsed,z,y,x", "elapsed (s)", "Device Type,GENEActiv"] {
            #expect(description.contains(needle), "\(needle)")
        }
    }

    @Test("missing required column names the column", arguments: [
        ("t_s,ax_g,az_g\n", "ay_g"),
        ("ax_g,ay_g,az_g\n", "t_s"),
        ("t_s,ax_g,ay_g,az_g,gx_dps,gz_dps\n", "gy_dps"),
        ("\"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y (m/s^2)\"\n", "Acceleration z (m/s^2)"),
        ("time,seconds_elapsed,z,x\n", "y"),
        ("elapsed (s),x-axis (g),z-axis (g)\n", "y-axis (g)"),
    ])
    func missingColumnIsNamed(header: String, column: String) {
        let error = caughtError { try CSVSessionReader(text: header + "1,2,3\n", name: "data.csv") }
        #expect(error == .missingColumn(path: "data.csv", line: 1, column: column))
    }
}
