import Testing

/// The watcher notices clips arriving and leaving, under umockdev, by polling and by hotplug.
@Suite("ClipWatcher against a virtual clip that is plugged in and out", .tags(.slow))
struct ClipWatcherTests {
    /// Hotplug events on: libusb's hotplug callbacks work under umockdev (virtual-clip sends udev
    /// monitor messages). Off: only polling can notice, and must not rely on libusb's cached list.
    @Test("the watcher reports arrival, removal and re-arrival", arguments: [
        ("polling", true), ("hotplug", true), ("automatic", true), ("polling", false), ("automatic", false),
    ])
    func noticesArrivalAndRemoval(mode: String, hotplugEvents: Bool) throws {
        let result = try VirtualClipProcess.probe(
            ["--start-unplugged", "--plug-after-ms", "300", "--unplug-after-ms", "900", "--replug-after-ms", "1500"]
                + (hotplugEvents ? [] : ["--no-hotplug-events"]),
            steps: ["watch:\(mode):2100"])
        let events = result.lines.filter { $0.hasPrefix("event ") }.map { $0.components(separatedBy: " at ")[0] }
        #expect(events == ["event arrived BSC-0001", "event left BSC-0001", "event arrived BSC-0001"],
                "\(result.standardOutput)\(result.standardError)")
    }

    @Test("clips already plugged in arrive as soon as watching starts")
    func presentClipsArriveFirst() throws {
        let result = try VirtualClipProcess.probe(["--clips", "2"], steps: ["watch:polling:300"])
        let events = result.lines.filter { $0.hasPrefix("event ") }.map { $0.components(separatedBy: " at ")[0] }
        #expect(events == ["event arrived BSC-0001", "event arrived BSC-0002"], "\(result.standardOutput)")
    }

    @Test("a clip that arrived while the program ran opens, even without hotplug events")
    func opensLateArrivalWithoutHotplugEvents() throws {
        let result = try VirtualClipProcess.probe(
            ["--start-unplugged", "--plug-after-ms", "1000", "--no-hotplug-events"],
            steps: ["list", "sleep:2500", "list", "open", "write:late", "read"])
        #expect(result.lines == [
            "ok list 0", "ok sleep", "ok list 1", "clip serial=BSC-0001 firmware=1.00 bus=1 address=5",
            "ok open BSC-0001", "ok write 4", "ok read late",
        ], "\(result.standardOutput)\(result.standardError)")
    }
}
