import Foundation
import Testing
import GaitDSP
@testable import SessionIO

@Suite("CanonicalCSVWriter")
struct CanonicalCSVWriterTests {
    @Test("writes comments, header and fixed-point digits exactly")
    func exactText() throws {
        let writer = CanonicalCSVWriter(
            hasGyro: true, sampleRateHz: 1000, device: "Backstride clip v2", serial: "BS-1",
            comments: ["two\nlines", "free text"])
        var block = IMUBlock(hasGyro: true)
        block.append(timeS: 1234.567891, x: 0.12345, y: -0.98765, z: 1.02345, gx: 12.345, gy: -3.456, gz: 7.89)
        block.append(timeS: 0, x: -0.000004, y: 0, z: -0.5, gx: -0.0004, gy: 100, gz: -2000.5)
        try writer.write(block)
        try writer.finish()
        let text = String(decoding: writer.memoryOutput, as: UTF8.self)
        #expect(text == """
        # fs_hz=1000
        # device=Backstride clip v2
        # serial=BS-1
        # two lines
        # free text
        t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps
        1234.567891,0.12345,-0.98765,1.02345,12.345,-3.456,7.890
        0.000000,0.00000,0.00000,-0.50000,0.000,100.000,-2000.500

        """)
    }

    @Test("what the writer writes, the reader reads back to the written precision")
    func roundTrip() throws {
        var block = IMUBlock(hasGyro: true)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<5000 {
            block.append(
                timeS: 1000 + Double(index) * 0.001, x: .random(in: -16...16, using: &generator),
                y: .random(in: -16...16, using: &generator), z: .random(in: -16...16, using: &generator),
                gx: .random(in: -2000...2000, using: &generator), gy: .random(in: -2000...2000, using: &generator),
                gz: .random(in: -2000...2000, using: &generator))
        }
        let writer = CanonicalCSVWriter(hasGyro: true, sampleRateHz: 1000, device: "sim", serial: "42")
        try writer.write(block)
        try writer.finish()
        let (read, metadata, warnings) = try CSVSessionReader.readAll(bytes: writer.memoryOutput)
        #expect(warnings.isEmpty)
        #expect(metadata.declaredSampleRateHz == 1000 && metadata.device == "sim" && metadata.serial == "42")
        #expect(read.count == block.count)
        for index in 0..<block.count {
            #expect(abs(read.timeS[index] - block.timeS[index]) <= 0.5e-6 + 1e-9)
            #expect(abs(read.accelXG[index] - block.accelXG[index]) <= 0.5e-5 + 2e-6)
            #expect(abs(read.gyroZDPS[index] - block.gyroZDPS[index]) <= 0.5e-3 + 2e-4)
        }
    }

    @Test("writes a file in several blocks; accelerometer-only files have four columns")
    func fileInBlocks() throws {
        let path = temporaryPath("writer.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CanonicalCSVWriter(path: path, hasGyro: false, sampleRateHz: 52.5)
        for blockIndex in 0..<3 {
            var block = IMUBlock(hasGyro: true)
            for sample in 0..<10 {
                let time = Double(blockIndex * 10 + sample) / 52.5
                block.append(timeS: time, x: 0, y: 0, z: 1, gx: 1, gy: 2, gz: 3)
            }
            try writer.write(block)
        }
        try writer.finish()
        #expect(writer.samplesWritten == 30)
        let (read, metadata, _) = try CSVSessionReader.readAll(path: path)
        #expect(metadata.declaredSampleRateHz == 52.5)
        #expect(!metadata.hasGyro)
        #expect(read.count == 30)
        #expect(read.accelZG.allSatisfy { $0 == 1 })
    }

    @Test("values the format cannot hold are refused")
    func unwritableValues() {
        let writer = CanonicalCSVWriter(inMemoryNamed: "out.csv", hasGyro: false)
        var block = IMUBlock()
        block.append(timeS: 0, x: 0, y: .nan, z: 1)
        let error = caughtError { try writer.write(block) }
        guard case .unwritableValue("out.csv", 0, "ay_g", let value)? = error, value.isNaN else {
            Issue.record("expected unwritableValue, got \(String(describing: error))")
            return
        }
    }

    @Test("a gyro file refuses blocks without gyroscope")
    func gyroFileNeedsGyroBlocks() {
        let writer = CanonicalCSVWriter(hasGyro: true)
        var block = IMUBlock()
        block.append(timeS: 0, x: 0, y: 0, z: 1)
        #expect(throws: SessionIOError.self) { try writer.write(block) }
    }
}
