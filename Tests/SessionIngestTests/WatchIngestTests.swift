import BackstrideTestSupport
import Foundation
import GaitInference
import GaitSynth
import SessionIngest
import SessionStore
import Testing

/// A session comes in with the runner's watch file: paired by clock and cadence, stored with it,
/// its comparisons matched for speed; a watch file of another run is refused and nothing stored.
@Suite("SessionIngest: watch files")
struct WatchIngestTests {
    /// A run whose cadence changes (walk, 165, 180, walk), so the cadences can be lined up.
    static func plan(seed: UInt64, fast: Bool = true) -> SynthConfig {
        SynthConfig(sampleRateHz: 100, seed: seed, segments: [
            .walking(durationS: 120, cadenceSpm: 110, speedMps: 1.4),
            .running(durationS: 300, cadenceSpm: 164, speedMps: 3.0),
            .running(durationS: 240, cadenceSpm: fast ? 182 : 164, speedMps: fast ? 3.8 : 3.0),
            .walking(durationS: 90, cadenceSpm: 108, speedMps: 1.3),
        ])
    }

    static let start = 1_780_000_000.0

    @Test("a CSV with its watch file is stored paired: offset found, speed per minute, distance, facts with speed and step length")
    func pairedOnImport() throws {
        let folder = try temporaryDirectory(prefix: "backstride-watch")
        let store = try SQLiteSessionStore(path: folder + "/store.sqlite")
        let config = Self.plan(seed: 5)
        let csv = try SyntheticRun.csv(config, in: folder, name: "run")
        // The watch's clock is 25 s ahead of the clip's start.
        let gpx = try SyntheticWatch.write(config, startUTC: Self.start + 25, in: folder, name: "watch")
        let result = try SessionIngest(store: store).ingestFile(path: csv, attribution: Attribution(
            runner: "Ana", createRunner: true, startedAt: Date(timeIntervalSince1970: Self.start), watchPath: gpx))
        let speed = try #require(try store.sessionSpeed(sessionID: result.id))
        #expect(abs(speed.offsetS - Self.start - 25) < 3, "offset \(speed.offsetS - Self.start)")
        #expect(speed.overlap > 0.9 && (speed.cadenceCorrelation ?? 0) > 0.8, "\(speed)")
        let km = try #require(speed.distanceKm)
        #expect(abs(km - (120 * 1.4 + 300 * 3.0 + 240 * 3.8 + 90 * 1.3) / 1000) < 0.05, "\(km) km")
        #expect(try store.session(id: result.id)?.distanceKm == km)
        let runnerID = try #require(result.runnerID)
        let facts = try #require(try store.history(runnerID: runnerID).first)
        let v = try #require(facts.speedMPS)
        #expect(v > 2.9 && v < 3.9, "speed \(v)")
        #expect((facts.stepLengthM ?? 0) > 1.0, "\(facts.stepLengthM ?? 0)")
    }

    @Test("the watch file of another run is refused with its numbers, and nothing is stored")
    func wrongWatchIsRefused() throws {
        let folder = try temporaryDirectory(prefix: "backstride-watch")
        let store = try SQLiteSessionStore(path: folder + "/store.sqlite")
        let csv = try SyntheticRun.csv(Self.plan(seed: 6), in: folder, name: "run")
        // Another run: its fast part comes first and lasts longer.
        let other = SynthConfig(sampleRateHz: 100, seed: 7, segments: [
            .running(durationS: 400, cadenceSpm: 184, speedMps: 3.9), .walking(durationS: 100, cadenceSpm: 110, speedMps: 1.4),
            .running(durationS: 250, cadenceSpm: 160, speedMps: 2.9),
        ])
        let gpx = try SyntheticWatch.write(other, startUTC: Self.start, in: folder, name: "other")
        let outcome = Result { try SessionIngest(store: store).ingestFile(path: csv, attribution: Attribution(
            startedAt: Date(timeIntervalSince1970: Self.start), watchPath: gpx)) }
        guard case .failure(let error) = outcome else { Issue.record("paired with another run's watch"); return }
        #expect("\(error)".contains("other.gpx"), "\(error)")
        #expect(try store.allSessionIDs().isEmpty)
    }

    @Test("a watch file paired later recomputes the session's flags with speed; a broken one names its line")
    func pairedLater() throws {
        let folder = try temporaryDirectory(prefix: "backstride-watch")
        let store = try SQLiteSessionStore(path: folder + "/store.sqlite")
        let config = Self.plan(seed: 8)
        let csv = try SyntheticRun.csv(config, in: folder, name: "run")
        let ingest = SessionIngest(store: store)
        let id = try ingest.ingestFile(path: csv, attribution: Attribution(runner: "Ben", createRunner: true,
                                                                            startedAt: Date(timeIntervalSince1970: Self.start))).id
        #expect(try store.sessionSpeed(sessionID: id) == nil)
        let broken = folder + "/broken.gpx"
        try "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><time>2026-01-01T00:00:00Z</time></trkpt>\n<trkpt lat=\"x\"".write(toFile: broken, atomically: true, encoding: .utf8)
        let failure = Result { try ingest.pairWatch(sessionID: id, path: broken) }
        guard case .failure(let error) = failure else { Issue.record("a broken GPX paired"); return }
        #expect("\(error)".contains("broken.gpx:2"), "\(error)")
        let gpx = try SyntheticWatch.write(config, startUTC: Self.start - 10, in: folder, name: "watch")
        let speed = try ingest.pairWatch(sessionID: id, path: gpx)
        #expect(abs(speed.offsetS - Self.start + 10) < 3, "offset \(speed.offsetS - Self.start)")
        let runnerID = try #require(try store.session(id: id)?.runnerId)
        #expect(try store.history(runnerID: runnerID).first?.speedMPS != nil)
        #expect(try store.sessionsWithoutInference().isEmpty)
    }
}
