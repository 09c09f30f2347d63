import BackstrideTestSupport
import Testing

/// `gait devices` as a user runs it, against virtual clips.
@Suite("gait devices under virtual-clip run", .ownThreads, .tags(.slow))
struct DevicesCommandTests {
    @Test("gait devices lists each clip's serial, firmware version, bus and address")
    func listsClips() throws {
        let result = try VirtualClipProcess.gait(["--serial", "BSC-0007", "--serial", "BSC-0008", "--firmware", "2.13"], arguments: ["devices"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines == [
            "SERIAL           FIRMWARE  BUS  ADDRESS",
            "BSC-0007         2.13      1    5",
            "BSC-0008         2.13      1    6",
        ])
    }

    @Test("gait devices says no clip found and exits 0 when none is plugged in")
    func noClip() throws {
        let result = try VirtualClipProcess.gait(["--clips", "0"], arguments: ["devices"])
        #expect(result.status == 0)
        #expect(result.lines == ["no clip found (VID 0x1209, PID 0x4A17)"])
    }
}
