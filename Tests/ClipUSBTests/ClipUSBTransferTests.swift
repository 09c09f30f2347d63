import Testing

/// ClipUSB through the real libusb against a virtual clip (umockdev), in a child process.
@Suite("ClipUSB transfers against a virtual clip", .tags(.slow))
struct ClipUSBTransferTests {
    @Test("a virtual clip is enumerated with its serial number and firmware version, and opens")
    func enumeratesAndOpens() throws {
        let result = try VirtualClipProcess.probe(["--serial", "BSC-0042", "--firmware", "1.02"], steps: ["list", "open"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines == ["ok list 1", "clip serial=BSC-0042 firmware=1.02 bus=1 address=5", "ok open BSC-0042"])
    }

    @Test("bulk OUT then bulk IN round-trips bytes through the echo device, sync and async")
    func bulkRoundTrip() throws {
        let result = try VirtualClipProcess.probe(steps: ["open", "write:PING", "read", "async-echo:hello, clip"])
        #expect(result.lines == ["ok open BSC-0001", "ok write 4", "ok read PING", "ok async-echo hello, clip"],
                "\(result.standardError)")
    }

    @Test("an IN stall is reported as a stall until the halt is cleared")
    func inStallIsReportedAndCleared() throws {
        let result = try VirtualClipProcess.probe(steps: ["open", "write:!stall-in", "read", "read", "clear-halt:in", "write:after", "read"])
        let lines = result.lines
        #expect(lines.count == 7, "\(result.standardOutput)\(result.standardError)")
        guard lines.count == 7 else { return }
        #expect(lines[2].contains("endpoint 0x81 stalled"))
        #expect(lines[3].contains("endpoint 0x81 stalled"), "the halt stays until it is cleared")
        #expect(lines[4] == "ok clear-halt in")
        #expect(lines[5...6] == ["ok write 5", "ok read after"])
    }

    @Test("an OUT stall is reported on the write and cleared")
    func outStallIsReportedAndCleared() throws {
        let result = try VirtualClipProcess.probe(steps: ["open", "write:!stall-out", "clear-halt:out", "write:again", "read"])
        #expect(result.lines.count == 5)
        #expect(result.lines.dropFirst().first?.contains("error write: clip BSC-0001 (bus 1, address 5): endpoint 0x01 stalled") == true,
                "\(result.standardOutput)")
        #expect(result.lines.suffix(3) == ["ok clear-halt out", "ok write 5", "ok read again"])
    }

    @Test("a read with no answer is reported as a timeout after its timeout, then the clip still works")
    func timeoutIsReportedAsTimeout() throws {
        let result = try VirtualClipProcess.probe(steps: ["open", "read:250", "write:!hang-in", "read:150", "write:alive", "read"])
        let lines = result.lines
        #expect(lines.count == 6, "\(result.standardOutput)\(result.standardError)")
        guard lines.count == 6 else { return }
        for line in [lines[1], lines[3]] {
            #expect(line.hasPrefix("error read after"))
            #expect(line.contains("reading from bulk IN 0x81 timed out after"))
        }
        #expect(lines[1].hasSuffix("timed out after 250 ms"))
        #expect(lines[3].hasSuffix("timed out after 150 ms"))
        #expect(milliseconds(in: lines[1]).map { $0 >= 240 && $0 < 2000 } == true, "\(lines[1])")
        #expect(lines[4...5] == ["ok write 5", "ok read alive"])
    }

    @Test("unplugging the clip during a read ends the read with 'the clip was unplugged'")
    func unplugMidTransfer() throws {
        let result = try VirtualClipProcess.probe(["--unplug-after-ms", "400"], steps: ["open", "read:5000", "write:late"])
        let lines = result.lines
        #expect(lines.count == 3, "\(result.standardOutput)\(result.standardError)")
        guard lines.count == 3 else { return }
        #expect(lines[1].hasSuffix("clip BSC-0001 (bus 1, address 5): the clip was unplugged"))
        #expect(milliseconds(in: lines[1]).map { $0 < 4000 } == true, "the read ended at the unplug, not at its timeout")
        #expect(lines[2] == "error write: clip BSC-0001 (bus 1, address 5): the clip was unplugged")
    }

    @Test("a device that unplugs itself (disconnect outcome) fails the transfer as unplugged")
    func deviceDisconnectOutcome() throws {
        let result = try VirtualClipProcess.probe(steps: ["open", "write:!unplug-in", "read:3000"])
        #expect(result.lines.last?.hasSuffix("the clip was unplugged") == true, "\(result.standardOutput)")
    }

    @Test("two clips at once are listed with their serial numbers and each echoes on its own")
    func twoClips() throws {
        let result = try VirtualClipProcess.probe(
            ["--serial", "BSC-0100", "--serial", "BSC-0200"],
            steps: ["list", "open:BSC-0200", "write:two", "read", "open:BSC-0100", "read:100", "write:one", "read"])
        let lines = result.lines
        #expect(Array(lines.prefix(3)) == [
            "ok list 2",
            "clip serial=BSC-0100 firmware=1.00 bus=1 address=5",
            "clip serial=BSC-0200 firmware=1.00 bus=1 address=6",
        ], "\(result.standardOutput)\(result.standardError)")
        #expect(lines.contains("ok read two"))
        #expect(lines.contains { $0.hasPrefix("error read after") && $0.contains("BSC-0100") && $0.contains("timed out") },
                "clip 1 did not receive clip 2's data")
        #expect(lines.last == "ok read one")
    }

    private func milliseconds(in line: String) -> Int? {
        guard let range = line.range(of: "after ") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
