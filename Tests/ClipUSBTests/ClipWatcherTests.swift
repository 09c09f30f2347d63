import Testing

/// The watcher notices clips arriving and leaving, under umockdev, by polling and by hotplug.
@Suite("ClipWatcher against a virtual clip that is plugged in and out")
struct ClipWatcherTests {
    @Test("the watcher reports arrival, removal and re-arrival", arguments: ["polling", "hotplug", "automatic"])
    func noticesArrivalAndRemoval(mode: String) throws {
        let result = try VirtualClipProcess.probe(
            ["--start-unplugged", "--plug-after-ms", "300", "--unplug-after-ms", "900", "--replug-after-ms", "1500"],
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
}
