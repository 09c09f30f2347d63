import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import SessionStore
import Testing

/// The `SessionStore` protocol's contract, run against every implementation (SQLite and
/// PostgreSQL): what one store does, the other does, down to the typed errors.
@Suite("SessionStore contract", .ownThreads)
struct SessionStoreContractTests {
    typealias Fixtures = ContractFixtures

    /// The `SessionStoreError` a call throws (nil, and a recorded issue, when it throws another or none).
    func storeError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> SessionStoreError? {
        #expect(throws: SessionStoreError.self, sourceLocation: sourceLocation) { try body() }
    }

    // MARK: - Sessions

    @Test("the same file is stored once: a second insert by content hash returns the first id and writes nothing", arguments: StoreKind.allCases)
    func insertIsIdempotentByContentHash(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let first = try store.insertSession(Fixtures.draft(hash: "hash-a"), rawSamples: Fixtures.spool(), inference: nil)
        let second = try store.insertSession(Fixtures.draft(hash: "hash-a"), rawSamples: Fixtures.spool(), inference: nil)
        #expect(first.inserted && !second.inserted)
        #expect(second.id == first.id)
        #expect(first.writeLockS >= 0 && first.writeLockS < 10)
        #expect(try store.allSessionIDs() == [first.id])
        #expect(try store.existingSession(contentHash: "hash-a", clip: nil) == first.id)
        #expect(try store.existingSession(contentHash: "hash-b", clip: nil) == nil)
    }

    @Test("a session keeps the time zone it was recorded in (a pushed one, the runner's); none or an unknown one is this machine's", arguments: StoreKind.allCases)
    func theRecordingsTimeZoneIsStored(kind: StoreKind) throws {
        let store = try kind.makeStore()
        var zones: [String: String] = [:]
        for (hash, zone) in [("tz-tokyo", "Asia/Tokyo"), ("tz-none", nil), ("tz-mars", "Mars/Olympus_Mons")] as [(String, String?)] {
            var draft = Fixtures.draft(hash: hash)
            draft.timeZone = zone
            let id = try store.insertSession(draft, rawSamples: Fixtures.spool(), inference: nil).id
            zones[hash] = try #require(try store.session(id: id)).timeZone
        }
        #expect(zones["tz-tokyo"] == "Asia/Tokyo")
        #expect(zones["tz-none"] == TimeZone.current.identifier)
        #expect(zones["tz-mars"] == TimeZone.current.identifier)
        // The listing carries it too (the pages show a run's local time with it).
        #expect(try store.sessions(limit: -1).contains { $0.timeZone == "Asia/Tokyo" })
    }

    @Test("a clip session is stored once by serial and session id, whatever its bytes; the clip is added and its firmware kept current", arguments: StoreKind.allCases)
    func insertIsIdempotentByClipIdentity(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let identity = SessionDraft.ClipIdentity(serial: "BSC-0042", firmware: "1.2", sessionID: 7)
        let first = try store.insertSession(Fixtures.draft(hash: "clip-7-a", clip: identity), rawSamples: Fixtures.spool(), inference: nil)
        let again = try store.insertSession(Fixtures.draft(hash: "clip-7-b", clip: identity), rawSamples: Fixtures.spool(), inference: nil)
        #expect(first.inserted && !again.inserted && again.id == first.id)
        #expect(try store.existingSession(contentHash: nil, clip: identity) == first.id)

        let next = SessionDraft.ClipIdentity(serial: "BSC-0042", firmware: "1.3", sessionID: 8)
        let other = try store.insertSession(Fixtures.draft(hash: "clip-8", clip: next), rawSamples: Fixtures.spool(), inference: nil)
        #expect(other.inserted && other.id != first.id)
        let clip = try #require(try store.clip(serial: "BSC-0042"))
        #expect(clip.firmware == "1.3")
        #expect(clip.runnerId == nil)
        let record = try #require(try store.session(id: first.id))
        #expect(record.clipId == clip.id && record.clipSessionId == 7 && record.source == .clip)
        #expect(try store.sessions(limit: 10).map(\.origin) == ["BSC-0042", "BSC-0042"])
    }

    @Test("the listing is newest first, limited (a negative limit is none), and filters unassigned and one runner's sessions", arguments: StoreKind.allCases)
    func listingAndFilters(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let runner = try #require(try store.runner(named: "Pia", create: true)?.id)
        let a = try Fixtures.insert(store, hash: "a")
        let b = try Fixtures.insert(store, hash: "b", runnerID: runner)
        let c = try Fixtures.insert(store, hash: "c")
        #expect(try store.sessions(limit: 10).map(\.id) == [c, b, a])
        #expect(try store.sessions(limit: 2).map(\.id) == [c, b])
        #expect(try store.sessions(limit: -1).map(\.id) == [c, b, a])
        #expect(try store.sessions(limit: 10, filter: .unassigned).map(\.id) == [c, a])
        #expect(try store.sessions(limit: 10, filter: .runner(runner)).map(\.id) == [b])
        #expect(try store.allSessionIDs() == [a, b, c])

        let row = try #require(try store.sessions(limit: 1, filter: .runner(runner)).first)
        let summary = Fixtures.analysis.summary
        #expect(row.stepCount == summary.stepCount && row.cadenceSpm == summary.metrics?.cadenceSpm)
        #expect(row.primaryActivity == summary.primaryActivity?.rawValue)
        #expect(row.origin == "/runs/b.csv" && row.source == .csv && row.runnerID == runner)
        #expect(row.durationS == Fixtures.analysis.durationS && row.timeZone == TimeZone.current.identifier)
        #expect(try store.sessions(runnerID: runner).map(\.id) == [b])
    }

    @Test("a stored analysis comes back equal, steps included, with the session's record", arguments: StoreKind.allCases)
    func analysisRoundTrip(kind: StoreKind) throws {
        let store = try kind.makeStore()
        #expect(Fixtures.analysis.steps.count > 20)
        let start = Fixtures.time()
        let id = try store.insertSession(Fixtures.draft(hash: "round-trip", startedAt: start, distanceKm: 5.5), rawSamples: Fixtures.spool(), inference: nil).id
        #expect(try store.analysis(id: id) == Fixtures.analysis)
        let record = try #require(try store.session(id: id))
        #expect(record.id == id && record.contentHash == "round-trip" && record.sourcePath == "/runs/round-trip.csv")
        #expect(record.startedAt == start && record.distanceKm == 5.5 && record.sampleCount == 3)
        #expect(record.sampleRateHz == Fixtures.analysis.sampleRateHz && record.configuredSampleRateHz == 100)
        #expect(record.hasGyroscope == Fixtures.analysis.input.hasGyroscope && record.runnerId == nil && record.shoeId == nil)
        #expect(try JSONDecoder().decode(InputDescription.self, from: Data(record.readerInputJSON.utf8)) == Fixtures.readerInput)
        #expect(try store.analysis(id: id + 100) == nil)
        #expect(try store.session(id: id + 100) == nil)
    }

    @Test("raw samples come back bit for bit, chunk by chunk (65,536 + 4,464 samples)", arguments: StoreKind.allCases)
    func rawSamplesRoundTrip(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let spool = try Fixtures.spool(Fixtures.rawSamples)
        let id = try store.insertSession(Fixtures.draft(hash: "raw"), rawSamples: spool, inference: nil).id
        var reader = try store.rawSamples(id: id)
        #expect(reader.chunkCount == 2)
        var chunks: [IMUBlock] = []
        while let chunk = try reader.next() { chunks.append(chunk) }
        #expect(chunks.map(\.count) == [65_536, 4_464])
        let original = Fixtures.rawSamples
        let joined = chunks.reduce(into: IMUBlock(capacity: 0, hasGyro: true)) { all, chunk in
            all.timeS += chunk.timeS; all.accelXG += chunk.accelXG; all.accelYG += chunk.accelYG; all.accelZG += chunk.accelZG
            all.gyroXDPS += chunk.gyroXDPS; all.gyroYDPS += chunk.gyroYDPS; all.gyroZDPS += chunk.gyroZDPS
        }
        #expect(joined.timeS.map(\.bitPattern) == original.timeS.map(\.bitPattern))
        #expect(joined.accelZG.map(\.bitPattern) == original.accelZG.map(\.bitPattern))
        #expect(joined == original)
        #expect(try store.session(id: id)?.sampleCount == 70_000)
        #expect(storeError { _ = try store.rawSamples(id: id + 100) } == .noSuchSession(id: id + 100))
    }

    @Test("from async code, raw samples stream chunk by chunk through run(_:), off the cooperative pool", arguments: StoreKind.allCases)
    func rawSampleStream(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let id = try await store.run { try $0.insertSession(Fixtures.draft(hash: "stream"), rawSamples: Fixtures.spool(Fixtures.rawSamples), inference: nil).id }
        var counts: [Int] = []
        for try await chunk in store.rawSampleStream(id: id) { counts.append(chunk.count) }
        #expect(counts == [65_536, 4_464])
    }

    @Test("replacing an analysis reports a change, stores the new one and leaves the flags pending; an equal one changes nothing", arguments: StoreKind.allCases)
    func replaceAnalysis(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let id = try Fixtures.insert(store, hash: "replace", inference: Fixtures.inference(flags: []))
        #expect(try store.sessionsWithoutInference() == [])
        #expect(try store.replaceAnalysis(sessionID: id, analysis: Fixtures.analysis) == false)
        #expect(try store.sessionsWithoutInference() == [])
        var newer = Fixtures.analysis
        newer.steps.removeLast()
        newer.steps[0].side = nil
        newer.steps[1].loadingRateGPerS = nil
        #expect(try store.replaceAnalysis(sessionID: id, analysis: newer) == true)
        #expect(try store.analysis(id: id) == newer)
        #expect(try store.sessionsWithoutInference() == [id])
        #expect(storeError { _ = try store.replaceAnalysis(sessionID: id + 100, analysis: newer) } == .noSuchSession(id: id + 100))
    }

    @Test("a watch pairing is stored with the session or later, replaced, and leaves the flags pending", arguments: StoreKind.allCases)
    func speedPairing(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let paired = try store.insertSession(Fixtures.draft(hash: "with-watch", speed: Fixtures.speed()), rawSamples: Fixtures.spool(),
                                             inference: Fixtures.inference(flags: [])).id
        #expect(try store.sessionSpeed(sessionID: paired) == Fixtures.speed())
        let later = Fixtures.speed(source: "other.gpx", speedMPS: 2.5)
        try store.setSessionSpeed(sessionID: paired, speed: later)
        #expect(try store.sessionSpeed(sessionID: paired) == later)
        #expect(try store.sessionsWithoutInference() == [paired])
        #expect(try store.inferenceContext(sessionID: paired)?.context.speed == later)
        let unpaired = try Fixtures.insert(store, hash: "without-watch")
        #expect(try store.sessionSpeed(sessionID: unpaired) == nil)
        #expect(storeError { try store.setSessionSpeed(sessionID: unpaired + 100, speed: later) } == .noSuchSession(id: unpaired + 100))
    }

    @Test("assigning sets the given fields and leaves the others; start order puts unknown starts first", arguments: StoreKind.allCases)
    func assign(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let runner = try #require(try store.runner(named: "Pia", create: true)?.id)
        let shoe = try #require(try store.shoe(named: "Pegasus", runnerID: runner, create: true, distanceSoFarKm: nil)?.id)
        let early = try Fixtures.insert(store, hash: "early", startedAt: Fixtures.time(0))
        let late = try Fixtures.insert(store, hash: "late", startedAt: Fixtures.time(86_400))
        let unknown = try Fixtures.insert(store, hash: "unknown")
        try store.assign(sessionID: late, runnerID: runner, shoeID: shoe, distanceKm: 8.2, startedAt: nil)
        try store.assign(sessionID: early, runnerID: runner, shoeID: nil, distanceKm: nil, startedAt: nil)
        try store.assign(sessionID: unknown, runnerID: runner, shoeID: nil, distanceKm: nil, startedAt: nil)
        let record = try #require(try store.session(id: late))
        #expect(record.runnerId == runner && record.shoeId == shoe && record.distanceKm == 8.2 && record.startedAt == Fixtures.time(86_400))
        try store.assign(sessionID: late, runnerID: nil, shoeID: nil, distanceKm: nil, startedAt: Fixtures.time(3_600))
        let moved = try #require(try store.session(id: late))
        #expect(moved.runnerId == runner && moved.shoeId == shoe && moved.distanceKm == 8.2 && moved.startedAt == Fixtures.time(3_600))
        #expect(try store.sessionIDsInStartOrder(runnerID: runner) == [unknown, early, late])
        #expect(try store.sessions(runnerID: runner).map(\.id) == [late, early, unknown])
        #expect(storeError { try store.assign(sessionID: late, runnerID: nil, shoeID: nil, distanceKm: 2_000, startedAt: nil) }
            == .invalidValue(field: "distance", reason: "a session's distance is 0 to 1000 km, got 2000.0"))
        #expect(storeError { try store.assign(sessionID: late + 100, runnerID: runner, shoeID: nil, distanceKm: nil, startedAt: nil) }
            == .noSuchSession(id: late + 100))
        // A runner that does not exist: the database refuses (foreign key).
        guard case .database = storeError({ try store.assign(sessionID: late, runnerID: runner + 100, shoeID: nil, distanceKm: nil, startedAt: nil) }) else {
            Issue.record("expected a database error")
            return
        }
    }

    // MARK: - Pain log

    @Test("the pain log keeps entries in order; red flags raise an alert until cleared, and a new one raises it again", arguments: StoreKind.allCases)
    func painLogAndRedFlags(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let runner = try #require(try store.runner(named: "Pia", create: true)?.id)
        let first = try Fixtures.insert(store, hash: "first", runnerID: runner)
        let second = try Fixtures.insert(store, hash: "second", runnerID: runner)
        let plain = try store.addPain(PainLogEntry(sessionId: first, painScore: 3, location: "lower back", atS: 600, note: "stiff",
                                                   recordedAt: Fixtures.time(10), nextDay: true))
        #expect(plain.id != nil && plain.painScore == 3)
        #expect(try store.redFlagAlert(runnerID: runner) == nil)
        let night = try store.addPain(PainLogEntry(sessionId: second, painScore: 6, recordedAt: Fixtures.time(20), symptoms: [.nightPain]))
        _ = try store.addPain(PainLogEntry(sessionId: first, note: "numb", recordedAt: Fixtures.time(30), symptoms: [.numbness, .nightPain]))
        #expect(try store.painLog(sessionID: first).map(\.note) == ["stiff", "numb"])
        let stored = try #require(try store.painLog(sessionID: second).first)
        #expect(stored == night && stored.symptoms == [.nightPain])
        #expect(try store.painLog(sessionID: first).first == plain)

        let alert = try #require(try store.redFlagAlert(runnerID: runner))
        #expect(alert.symptoms == [.numbness, .nightPain] && alert.since == Fixtures.time(20) && alert.sessionIDs == [second, first])
        try store.clearRedFlags(runnerID: runner, by: "Dr Lee")
        #expect(try store.redFlagAlert(runnerID: runner) == nil)
        let cleared = try #require(try store.runner(id: runner))
        #expect(cleared.redFlagsClearedBy == "Dr Lee" && cleared.redFlagsClearedAt != nil)
        _ = try store.addPain(PainLogEntry(sessionId: second, recordedAt: Date().addingTimeInterval(60), symptoms: [.fever]))
        #expect(try store.redFlagAlert(runnerID: runner)?.symptoms == [.fever])

        #expect(storeError { _ = try store.addPain(PainLogEntry(sessionId: first, painScore: 11)) }
            == .invalidValue(field: "painScore", reason: "pain is 0 to 10, got 11"))
        #expect(storeError { _ = try store.redFlagAlert(runnerID: runner + 100) } == .noSuchRunner("\(runner + 100)"))
        #expect(storeError { try store.clearRedFlags(runnerID: runner + 100, by: "x") } == .noSuchRunner("\(runner + 100)"))
        guard case .database = storeError({ _ = try store.addPain(PainLogEntry(sessionId: second + 100, painScore: 1)) }) else {
            Issue.record("a pain entry for a missing session: expected a database error")
            return
        }
    }

    // MARK: - Runners, shoes and clips

    @Test("runners and shoes are found or created by name (trimmed), listed in byte order, and current shoes must be the runner's", arguments: StoreKind.allCases)
    func runnersAndShoes(kind: StoreKind) throws {
        let store = try kind.makeStore()
        #expect(try store.runner(named: "Pia", create: false) == nil)
        let pia = try #require(try store.runner(named: " Pia ", create: true))
        #expect(pia.name == "Pia" && pia.currentShoeId == nil)
        #expect(try store.runner(named: "Pia", create: true)?.id == pia.id)
        let zoe = try #require(try store.runner(named: "Zoe", create: true))
        let adam = try #require(try store.runner(named: "adam", create: true))
        #expect(try store.runners().map(\.name) == ["Pia", "Zoe", "adam"])
        #expect(try store.runner(id: zoe.id!)?.name == "Zoe")
        #expect(try store.runner(id: 999_999) == nil)
        #expect(storeError { _ = try store.runner(named: "  ", create: true) } == .invalidValue(field: "runner", reason: "a runner needs a name"))

        #expect(try store.shoe(named: "Pegasus", runnerID: pia.id!, create: false, distanceSoFarKm: nil) == nil)
        let pegasus = try #require(try store.shoe(named: "Pegasus", runnerID: pia.id!, create: true, distanceSoFarKm: 120))
        #expect(pegasus.distanceSoFarKm == 120 && pegasus.retired == false && pegasus.runnerId == pia.id)
        #expect(try store.shoe(named: "Pegasus", runnerID: pia.id!, create: true, distanceSoFarKm: 150)?.distanceSoFarKm == 150)
        #expect(try store.shoe(named: "Pegasus", runnerID: pia.id!, create: false, distanceSoFarKm: nil)?.distanceSoFarKm == 150)
        let clifton = try #require(try store.shoe(named: "Clifton", runnerID: pia.id!, create: true, distanceSoFarKm: nil))
        #expect(try store.shoes(runnerID: pia.id!).map(\.name) == ["Pegasus", "Clifton"])
        #expect(try store.shoeInfo(shoeID: pegasus.id!) == ShoeInfo(key: String(pegasus.id!), name: "Pegasus", declaredDistanceKm: 150))
        #expect(try store.shoeInfo(shoeID: 999_999) == nil)
        #expect(storeError { _ = try store.shoe(named: "X", runnerID: pia.id!, create: true, distanceSoFarKm: -1) }
            == .invalidValue(field: "shoe distance", reason: "distance is 0 to 100000 km, got -1.0"))

        try store.setCurrentShoe(runnerID: pia.id!, shoeID: clifton.id)
        #expect(try store.runner(id: pia.id!)?.currentShoeId == clifton.id)
        try store.setCurrentShoe(runnerID: pia.id!, shoeID: nil)
        #expect(try store.runner(id: pia.id!)?.currentShoeId == nil)
        let adamsShoe = try #require(try store.shoe(named: "Boston", runnerID: adam.id!, create: true, distanceSoFarKm: nil))
        #expect(storeError { try store.setCurrentShoe(runnerID: pia.id!, shoeID: adamsShoe.id) }
            == .invalidValue(field: "shoe", reason: "shoe \(adamsShoe.id!) is not Pia's"))
        #expect(storeError { try store.setCurrentShoe(runnerID: 999_999, shoeID: nil) } == .noSuchRunner("id 999999"))
    }

    @Test("a clip is given to a runner; another runner's clip moves only when asked, with a typed error naming its owner", arguments: StoreKind.allCases)
    func clips(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let pia = try #require(try store.runner(named: "Pia", create: true)?.id)
        let tom = try #require(try store.runner(named: "Tom", create: true)?.id)
        #expect(try store.clip(serial: "BSC-0007") == nil)
        let clip = try store.assignClip(serial: " BSC-0007 ", runnerID: pia, moveFromAnotherRunner: false)
        #expect(clip.serial == "BSC-0007" && clip.runnerId == pia && clip.id != nil)
        #expect(try store.assignClip(serial: "BSC-0007", runnerID: pia, moveFromAnotherRunner: false) == clip)
        #expect(storeError { _ = try store.assignClip(serial: "BSC-0007", runnerID: tom, moveFromAnotherRunner: false) }
            == .clipOwnedByAnotherRunner(serial: "BSC-0007", owner: "Pia"))
        #expect(try store.assignClip(serial: "BSC-0007", runnerID: tom, moveFromAnotherRunner: true).runnerId == tom)
        _ = try store.assignClip(serial: "BSC-0001", runnerID: nil, moveFromAnotherRunner: false)
        _ = try store.assignClip(serial: "bsc-0002", runnerID: tom, moveFromAnotherRunner: false)
        #expect(try store.clips(runnerID: nil).map(\.serial) == ["BSC-0001", "BSC-0007", "bsc-0002"])
        #expect(try store.clips(runnerID: tom).map(\.serial) == ["BSC-0007", "bsc-0002"])
        #expect(try store.clips(runnerID: pia) == [])
        #expect(storeError { _ = try store.assignClip(serial: "BSC 7; DROP", runnerID: nil, moveFromAnotherRunner: false) }
            == .invalidValue(field: "serial", reason: "a clip serial is 1 to 64 letters, digits, '-' or '_'"))
        #expect(storeError { _ = try store.assignClip(serial: "BSC-0009", runnerID: 999_999, moveFromAnotherRunner: false) }
            == .noSuchRunner("id 999999"))
    }

    // MARK: - Flags

    @Test("flags and facts are stored with the session and replaced; history, context and the stored document read them", arguments: StoreKind.allCases)
    func flagsInferenceAndHistory(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let runner = try #require(try store.runner(named: "Pia", create: true)?.id)
        let shoe = try #require(try store.shoe(named: "Pegasus", runnerID: runner, create: true, distanceSoFarKm: 40)?.id)
        let flag = Fixtures.flag()
        let first = try Fixtures.insert(store, hash: "first", startedAt: Fixtures.time(0), runnerID: runner, inference: Fixtures.inference(flags: [flag]))
        let second = try Fixtures.insert(store, hash: "second", startedAt: Fixtures.time(86_400), runnerID: runner)
        try store.assign(sessionID: second, runnerID: nil, shoeID: shoe, distanceKm: 10, startedAt: nil)
        _ = try store.addPain(PainLogEntry(sessionId: second, painScore: 4, recordedAt: Fixtures.time(90_000), nextDay: true))

        #expect(try store.storedFlags(sessionID: first) == [flag])
        let records = try store.flags(sessionID: first)
        #expect(records.map(\.flagKey) == [flag.id] && records.map(\.kind) == ["asymmetry"] && records.map(\.severity) == ["moderate"])
        #expect(records.first?.advice == "Run a few easy strides.\nCheck your shoes." && records.first?.confidence == 0.7)
        #expect(try store.sessionsWithoutInference() == [second])

        let (analysis, context) = try #require(try store.inferenceContext(sessionID: second))
        #expect(analysis == Fixtures.analysis)
        #expect(context.sessionKey == String(second) && context.startedAt == Fixtures.time(86_400) && context.distanceKm == 10)
        #expect(context.painScore == 4 && context.painLastedIntoNextDay == true)
        #expect(context.shoe == ShoeInfo(key: String(shoe), name: "Pegasus", declaredDistanceKm: 40))
        #expect(context.history.map(\.sessionKey) == [String(first)] && context.history.first?.flagIDs == [flag.id])

        let replacement = Fixtures.inference(flags: [Fixtures.flag(id: "posture.trunk_lean")])
        try store.replaceInference(sessionID: second, inference: replacement)
        #expect(try store.sessionsWithoutInference() == [])
        #expect(try store.storedFlags(sessionID: second).map(\.id) == ["posture.trunk_lean"])
        let history = try store.history(runnerID: runner)
        #expect(history.map(\.sessionKey) == [String(first), String(second)])
        #expect(history.last?.painScore == 4 && history.last?.painNextDay == true && history.last?.shoeKey == String(shoe) && history.last?.distanceKm == 10)

        let document = try #require(try store.storedDocument(sessionID: first))
        #expect(document.flags == [flag] && document.analysis == Fixtures.analysis)
        #expect(try store.storedDocument(sessionID: second + 100) == nil)
        #expect(storeError { _ = try store.inferenceContext(sessionID: second + 100) } == .noSuchSession(id: second + 100))
        #expect(storeError { try store.replaceInference(sessionID: second + 100, inference: replacement) } == .noSuchSession(id: second + 100))
    }

    // MARK: - Accounts

    @Test("accounts are stored normalised; taken names, look-alikes and runner-less runner accounts are refused", arguments: StoreKind.allCases)
    func accounts(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let runner = try #require(try store.runner(named: "Pia", create: true)?.id)
        let pia = try store.addAccount(AccountRecord(username: "Pia", role: .runner, passwordHash: "h1", runnerId: runner, createdAt: Fixtures.time()))
        #expect(pia.username == "pia" && pia.id != nil && pia.usernameSkeleton != nil)
        #expect(try store.account(username: "PIA") == pia)
        #expect(try store.account(id: pia.id!) == pia)
        #expect(try store.account(username: "nobody") == nil)
        #expect(storeError { _ = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: "h")) }
            == .invalidValue(field: "username", reason: "'pia' is taken"))
        guard case .invalidValue(field: "username", _) = storeError({ _ = try store.addAccount(AccountRecord(username: "pіa", role: .physio, passwordHash: "h")) }) else {
            Issue.record("a Cyrillic look-alike: expected invalidValue(username)")
            return
        }
        #expect(storeError { _ = try store.addAccount(AccountRecord(username: "tom", role: .runner, passwordHash: "h")) }
            == .invalidValue(field: "runner", reason: "a runner account belongs to a runner"))
        #expect(storeError { _ = try store.addAccount(AccountRecord(username: "lee", role: .physio, passwordHash: "h", runnerId: runner)) }
            == .invalidValue(field: "runner", reason: "only a runner account belongs to a runner"))
        _ = try store.addAccount(AccountRecord(username: "Lee", role: .physio, passwordHash: "h2", createdAt: Fixtures.time()))
        let admin = try store.addAccount(AccountRecord(username: "Admin", role: .admin, passwordHash: "h3", createdAt: Fixtures.time()))
        #expect(try store.accounts().map(\.username) == ["admin", "lee", "pia"])
        #expect(admin.role == .admin)
    }

    @Test("a physiotherapist sees the runners who granted access (idempotent, revocable); a runner sees themself; an administrator everyone", arguments: StoreKind.allCases)
    func grants(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let pia = try #require(try store.runner(named: "Pia", create: true)?.id)
        let tom = try #require(try store.runner(named: "Tom", create: true)?.id)
        let runnerAccount = try store.addAccount(AccountRecord(username: "pia", role: .runner, passwordHash: "h", runnerId: pia, createdAt: Fixtures.time()))
        let lee = try store.addAccount(AccountRecord(username: "lee", role: .physio, passwordHash: "h", createdAt: Fixtures.time()))
        let ann = try store.addAccount(AccountRecord(username: "ann", role: .physio, passwordHash: "h", createdAt: Fixtures.time()))
        let admin = try store.addAccount(AccountRecord(username: "root", role: .admin, passwordHash: "h", createdAt: Fixtures.time()))
        try store.grant(runnerID: pia, physioAccountID: lee.id!)
        try store.grant(runnerID: pia, physioAccountID: lee.id!)
        try store.grant(runnerID: pia, physioAccountID: ann.id!)
        try store.grant(runnerID: tom, physioAccountID: lee.id!)
        #expect(try store.visibleRunnerIDs(accountID: lee.id!) == [pia, tom])
        #expect(try store.visibleRunnerIDs(accountID: runnerAccount.id!) == [pia])
        #expect(try store.visibleRunnerIDs(accountID: admin.id!) == [pia, tom])
        #expect(try store.visibleRunnerIDs(accountID: 999_999) == [])
        #expect(try store.grantedPhysios(runnerID: pia).map(\.username) == ["ann", "lee"])
        try store.revoke(runnerID: tom, physioAccountID: lee.id!)
        #expect(try store.visibleRunnerIDs(accountID: lee.id!) == [pia])
        #expect(storeError { try store.grant(runnerID: pia, physioAccountID: runnerAccount.id!) }
            == .invalidValue(field: "physiotherapist", reason: "no physiotherapist account with id \(runnerAccount.id!)"))
    }

    @Test("login sessions: found until they expire, ended one by one, all but the current on a password change, or all at once", arguments: StoreKind.allCases)
    func loginSessions(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let lee = try store.addAccount(AccountRecord(username: "lee", role: .physio, passwordHash: "old", createdAt: Fixtures.time()))
        let id = lee.id!
        let expires = Date().addingTimeInterval(3_600).timeIntervalSince1970.rounded(.down)
        func login(_ token: String) throws -> LoginSessionRecord {
            let session = LoginSessionRecord(tokenHash: token, accountId: id, csrfToken: "csrf-" + token, createdAt: Fixtures.time(),
                                             expiresAt: Date(timeIntervalSince1970: expires))
            try store.addLoginSession(session)
            return session
        }
        let a = try login("a")
        _ = try login("b")
        _ = try login("c")
        let found = try #require(try store.loginSession(tokenHash: "a", now: Date()))
        #expect(found.session == a && found.account == lee)
        #expect(try store.loginSession(tokenHash: "a", now: Date(timeIntervalSince1970: expires + 1)) == nil)
        #expect(try store.loginSession(tokenHash: "nope", now: Date()) == nil)

        // The same token twice: the database's unique key refuses it, as a typed database error.
        guard case .database(operation: "starting a login session", _) = storeError({ _ = try login("a") }) else {
            Issue.record("a duplicate token: expected database(starting a login session)")
            return
        }

        try store.changePasswordHash(accountID: id, passwordHash: "new", keepingTokenHash: "a")
        #expect(try store.account(id: id)?.passwordHash == "new")
        #expect(try store.loginSession(tokenHash: "a", now: Date()) != nil)
        #expect(try store.loginSession(tokenHash: "b", now: Date()) == nil && store.loginSession(tokenHash: "c", now: Date()) == nil)
        try store.removeLoginSession(tokenHash: "a")
        #expect(try store.loginSession(tokenHash: "a", now: Date()) == nil)

        _ = try login("d")
        _ = try login("e")
        try store.changePasswordHash(accountID: id, passwordHash: "newer", keepingTokenHash: nil)
        #expect(try store.removeLoginSessions(accountID: id) == 0)
        _ = try login("f")
        _ = try login("g")
        #expect(try store.removeLoginSessions(accountID: id) == 2)
        #expect(storeError { try store.changePasswordHash(accountID: 999_999, passwordHash: "x", keepingTokenHash: nil) }
            == .invalidValue(field: "account", reason: "no account with id 999999"))
    }
}

/// The contract of what issue 14 added: the revision caches key on, the audit log, disabled accounts.
@Suite("SessionStore contract: revision, audit log, disabled accounts", .ownThreads)
struct SessionStoreClinicContractTests {
    typealias Fixtures = ContractFixtures

    @Test("the revision grows with every write a report shows and not with a look in the audit log", arguments: StoreKind.allCases)
    func revisionCountsWrites(kind: StoreKind) throws {
        let store = try kind.makeStore()
        var last = try store.revision()
        func grew(_ what: String, _ body: () throws -> Void) throws {
            try body()
            let now = try store.revision()
            #expect(now > last, "\(what) left the revision at \(now)")
            last = now
        }
        let runner = try #require(try store.runner(named: "Ana", create: true)?.id)
        let id = try Fixtures.insert(store, hash: "rev-a")
        try grew("an insert") { _ = try Fixtures.insert(store, hash: "rev-b") }
        try grew("an assignment") { try store.assign(sessionID: id, runnerID: runner, shoeID: nil, distanceKm: 3, startedAt: nil) }
        try grew("a pain entry") { _ = try store.addPain(PainLogEntry(sessionId: id, painScore: 3)) }
        var changed = Fixtures.analysis
        changed.summary.stepCount += 1
        try grew("a re-analysis") { _ = try store.replaceAnalysis(sessionID: id, analysis: changed) }
        try store.recordView(DataViewRecord(accountId: nil, username: "pia", role: "physio", runnerId: runner, sessionId: id, what: "session page"))
        #expect(try store.revision() == last, "a look changed the revision")
    }

    @Test("a runner's revision grows with every write about them or about every runner, and stays with writes about another", arguments: StoreKind.allCases)
    func runnerRevisionsFollowTheirRunner(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let ana = try #require(try store.runner(named: "Ana", create: true)?.id)
        let ben = try #require(try store.runner(named: "Ben", create: true)?.id)
        let nobody = ben + 1_000
        var last = try store.runnerRevisions([ana, ben, nobody])
        #expect(Set(last.keys) == [ana, ben, nobody])
        /// Runs `body` and checks which runners' revisions grew (the others must stay).
        func write(_ what: String, grows: Set<Int64>, _ body: () throws -> Void) throws {
            let storeBefore = try store.revision()
            try body()
            let now = try store.runnerRevisions([ana, ben, nobody])
            for runner in [ana, ben, nobody] {
                if grows.contains(runner) {
                    #expect(now[runner]! > last[runner]!, "\(what) left runner \(runner)'s revision at \(now[runner]!)")
                } else {
                    #expect(now[runner] == last[runner], "\(what) changed runner \(runner)'s revision")
                }
            }
            #expect(try store.revision() > storeBefore, "\(what) left the store's revision")
            last = now
        }
        var session: SessionID = 0
        try write("a session of Ana's", grows: [ana]) {
            session = try Fixtures.insert(store, hash: "runner-rev-a", runnerID: ana, inference: Fixtures.inference(flags: [Fixtures.flag()]))
        }
        try write("a session of no runner's", grows: []) { _ = try Fixtures.insert(store, hash: "runner-rev-none") }
        try write("Ana's pain entry", grows: [ana]) { _ = try store.addPain(PainLogEntry(sessionId: session, painScore: 3)) }
        var changed = Fixtures.analysis
        changed.summary.stepCount += 1
        try write("Ana's re-analysis", grows: [ana]) { _ = try store.replaceAnalysis(sessionID: session, analysis: changed) }
        try write("Ana's new flags", grows: [ana]) { try store.replaceInference(sessionID: session, inference: Fixtures.inference(flags: [])) }
        try write("Ana's watch file", grows: [ana]) { try store.setSessionSpeed(sessionID: session, speed: Fixtures.speed()) }
        try write("Ben's new shoe", grows: [ben]) { _ = try store.shoe(named: "Pegasus", runnerID: ben, create: true, distanceSoFarKm: 10) }
        try write("Ana's session given to Ben", grows: [ana, ben]) {
            try store.assign(sessionID: session, runnerID: ben, shoeID: nil, distanceKm: nil, startedAt: nil)
        }
        try write("a new account", grows: [ana, ben, nobody]) {
            _ = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: "x"))
        }
        try store.recordView(DataViewRecord(accountId: nil, username: "pia", role: "physio", runnerId: ana, sessionId: nil, what: "runner report"))
        #expect(try store.runnerRevisions([ana, ben, nobody]) == last, "a look changed a runner's revision")
        #expect(try store.runnerRevisions([]).isEmpty)
    }

    @Test("looks are listed newest first for their runner; the last look per runner for the account", arguments: StoreKind.allCases)
    func auditLogRoundTrip(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let ana = try #require(try store.runner(named: "Ana", create: true)?.id)
        let ben = try #require(try store.runner(named: "Ben", create: true)?.id)
        let pia = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: "x"))
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)
        for (k, (runner, what)) in [(ana, "runner page"), (ana, "session report (CSV)"), (ben, "runner page")].enumerated() {
            try store.recordView(DataViewRecord(at: t0.addingTimeInterval(Double(k) * 60), accountId: pia.id, username: "pia", role: "physio",
                                                runnerId: runner, sessionId: k == 1 ? 42 : nil, what: what))
        }
        let views = try store.views(runnerID: ana, limit: 10)
        #expect(views.map(\.what) == ["session report (CSV)", "runner page"])
        #expect(views.first?.sessionId == 42 && views.first?.accountId == pia.id && views.first?.at == t0.addingTimeInterval(60))
        #expect(try store.views(runnerID: ana, limit: 1).count == 1)
        #expect(try store.lastViews(accountID: pia.id!) == [ana: t0.addingTimeInterval(60), ben: t0.addingTimeInterval(120)])
    }

    @Test("a disabled account's logins end and none is found for it until it is enabled", arguments: StoreKind.allCases)
    func disabledAccounts(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let pia = try store.addAccount(AccountRecord(username: "pia", role: .physio, passwordHash: "x"))
        let now = Date()
        try store.addLoginSession(LoginSessionRecord(tokenHash: "t1", accountId: pia.id!, csrfToken: "c", createdAt: now, expiresAt: now.addingTimeInterval(3600)))
        #expect(try store.loginSession(tokenHash: "t1", now: now) != nil)
        try store.setAccountDisabled(accountID: pia.id!, disabled: true, at: now)
        #expect(try store.loginSession(tokenHash: "t1", now: now) == nil)
        #expect(try store.account(id: pia.id!)?.disabledAt != nil)
        try store.addLoginSession(LoginSessionRecord(tokenHash: "t2", accountId: pia.id!, csrfToken: "c", createdAt: now, expiresAt: now.addingTimeInterval(3600)))
        #expect(try store.loginSession(tokenHash: "t2", now: now) == nil, "a disabled account logged in")
        try store.setAccountDisabled(accountID: pia.id!, disabled: false, at: now)
        #expect(try store.account(id: pia.id!)?.disabledAt == nil)
        #expect(try store.loginSession(tokenHash: "t2", now: now) != nil)
        #expect(throws: SessionStoreError.self) { try store.setAccountDisabled(accountID: 999, disabled: true, at: now) }
    }
}

/// The contract of the clinic push's store methods (pairing, devices, pushed pain, deliveries).
@Suite("SessionStore contract: clinic push", .ownThreads)
struct SessionStorePushContractTests {
    typealias Fixtures = ContractFixtures

    @Test("a pairing code pairs one device once, before it expires; a device is revoked once, by its runner", arguments: StoreKind.allCases)
    func pairingAndDevices(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let ana = try #require(try store.runner(named: "Ana", create: true)?.id)
        let ben = try #require(try store.runner(named: "Ben", create: true)?.id)
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        try store.addPairingCode(PairingCodeRecord(codeHash: "code-1", runnerId: ana, createdByAccountId: nil, createdAt: now,
                                                   expiresAt: Date().addingTimeInterval(900)))
        try store.addPairingCode(PairingCodeRecord(codeHash: "code-old", runnerId: ana, createdByAccountId: nil, createdAt: now,
                                                   expiresAt: Date().addingTimeInterval(60)))
        let device = DeviceRecord(runnerId: 0, name: "ana's laptop", tokenHash: "token-1", createdAt: now, expiresAt: now.addingTimeInterval(86_400 * 365))
        guard case .paired(let paired) = try store.redeemPairingCode(codeHash: "code-1", device: device, now: Date()) else {
            Issue.record("not paired")
            return
        }
        #expect(paired.runnerId == ana && paired.id != nil)
        #expect(try store.redeemPairingCode(codeHash: "code-1", device: device, now: Date()) == .alreadyUsed)
        #expect(try store.redeemPairingCode(codeHash: "nope", device: device, now: Date()) == .unknownCode)
        #expect(try store.redeemPairingCode(codeHash: "code-old", device: device, now: Date().addingTimeInterval(120)) == .expired)
        #expect(try store.device(tokenHash: "token-1")?.id == paired.id)
        #expect(try store.devices(runnerID: ana).map(\.id) == [paired.id])
        #expect(try !store.revokeDevice(id: paired.id!, runnerID: ben, at: now), "another runner revoked it")
        #expect(try store.revokeDevice(id: paired.id!, runnerID: ana, at: now))
        #expect(try !store.revokeDevice(id: paired.id!, runnerID: ana, at: now), "revoked twice")
        #expect(try store.device(tokenHash: "token-1")?.revokedAt == now)
    }

    @Test("a pushed pain entry is added once by its key; deliveries: pending, failed, delivered, pending again for new pain, refused", arguments: StoreKind.allCases)
    func pushedPainAndDeliveries(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let a = try Fixtures.insert(store, hash: "push-a")
        let b = try Fixtures.insert(store, hash: "push-b")
        #expect(try store.addPushedPain(PainLogEntry(sessionId: a, painScore: 4), entryKey: "k1"))
        #expect(try !store.addPushedPain(PainLogEntry(sessionId: a, painScore: 4), entryKey: "k1"))
        #expect(try store.painLog(sessionID: a).count == 1)
        #expect(throws: SessionStoreError.self) { try store.addPushedPain(PainLogEntry(sessionId: a, painScore: 11), entryKey: "k2") }

        let clinic = "https://clinic.example/"
        let t = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(try store.sessionsAwaitingDelivery(clinic: clinic) == [a, b])
        try store.recordDeliveryFailure(clinic: clinic, sessionID: a, reason: "connection refused", permanent: false, at: t)
        #expect(try store.sessionsAwaitingDelivery(clinic: clinic) == [a, b])
        let painMax = try store.painLog(sessionID: a).map { $0.id! }.max()
        try store.recordDelivered(clinic: clinic, sessionID: a, clinicSessionID: 77, painLogMaxID: painMax, at: t)
        #expect(try store.sessionsAwaitingDelivery(clinic: clinic) == [b])
        _ = try store.addPain(PainLogEntry(sessionId: a, painScore: 5))
        #expect(try store.sessionsAwaitingDelivery(clinic: clinic) == [a, b], "new pain after delivery sends it again")
        try store.recordDeliveryFailure(clinic: clinic, sessionID: a, reason: "timeout", permanent: false, at: t.addingTimeInterval(5))
        try store.recordDeliveryFailure(clinic: clinic, sessionID: b, reason: "422: not a session", permanent: true, at: t)
        #expect(try store.sessionsAwaitingDelivery(clinic: clinic) == [a])
        let records = try store.deliveries(clinic: clinic)
        #expect(records.map(\.sessionId) == [a, b])
        #expect(records[0].deliveredAt == t && records[0].clinicSessionId == 77 && records[0].attempts == 2 && records[0].lastError == "timeout")
        #expect(records[1].refused && records[1].attempts == 1 && records[1].deliveredAt == nil)
        #expect(try store.deliveries(clinic: "https://other.example/").isEmpty)
    }
}
