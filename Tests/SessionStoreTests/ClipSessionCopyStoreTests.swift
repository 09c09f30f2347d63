import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import Testing
@testable import SessionStore

/// `insertSession` with copies of one clip session (same serial and clip session id, other
/// bytes): the store's side of issue 13, driven with drafts so that every `SessionStore`
/// implementation can run the same cases.
@Suite("SessionStore with copies of a clip session", .ownThreads)
struct ClipSessionCopyStoreTests {
    static let identity = SessionDraft.ClipIdentity(serial: "BSC-0042", firmware: "1.2", sessionID: 7)

    /// A draft of a copy with `sampleCount` samples at 200 Hz, its content hash and raw samples.
    static func copy(sampleCount: Int, hash: String, incompleteReason: String?) throws -> (SessionDraft, RawChunkSpool) {
        var samples = IMUBlock(capacity: sampleCount, hasGyro: true)
        for block in SyntheticRun.blocks(.steadyRun(durationS: Double(sampleCount) / 200 + 1, sampleRateHz: 200, seed: 5, includeGyro: true)) {
            for i in 0..<block.count where samples.count < sampleCount {
                samples.append(timeS: block.timeS[i], x: block.accelXG[i], y: block.accelYG[i], z: block.accelZG[i],
                               gx: block.gyroXDPS[i], gy: block.gyroYDPS[i], gz: block.gyroZDPS[i])
            }
        }
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 200))
        engine.process(samples)
        let input = InputDescription(source: "\(hash).bsession", format: "Backstride clip session", hasGyroscope: true)
        let spool = try RawChunkSpool()
        try spool.append(samples)
        try spool.finish()
        let draft = SessionDraft(source: .import, sourcePath: "\(hash).bsession", contentHash: hash, clip: identity,
                                 startedAt: Date(timeIntervalSince1970: 1_760_000_000), configuredSampleRateHz: 200,
                                 readerInput: input, analysis: engine.finish(input: input), incompleteReason: incompleteReason)
        return (draft, spool)
    }

    @Test("a copy with more samples replaces the stored one in place; one with as many or fewer is already stored", arguments: StoreKind.allCases)
    func moreCompleteCopyReplacesInPlace(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let (cut, cutSpool) = try Self.copy(sampleCount: 4_000, hash: "cut", incompleteReason: "1 bad block of 101 data blocks")
        let first = try store.insertSession(cut, rawSamples: cutSpool, inference: nil)
        #expect(first.inserted && first.replaced == nil)
        let runner = try #require(try store.runner(named: "Ana", create: true)?.id)
        try store.assign(sessionID: first.id, runnerID: runner, shoeID: nil, distanceKm: 5, startedAt: nil)
        _ = try store.addPain(PainLogEntry(sessionId: first.id, painScore: 2, note: "calf"))

        let (whole, wholeSpool) = try Self.copy(sampleCount: 6_000, hash: "whole", incompleteReason: nil)
        let second = try store.insertSession(whole, rawSamples: wholeSpool, inference: nil)
        #expect(second.id == first.id && second.inserted)
        #expect(second.replaced == ReplacedCopy(previousSampleCount: 4_000, previousIncompleteReason: "1 bad block of 101 data blocks", sampleCount: 6_000))
        let session = try #require(try store.session(id: first.id))
        #expect(session.sampleCount == 6_000 && session.contentHash == "whole" && session.incompleteReason == nil)
        #expect(session.runnerId == runner && session.distanceKm == 5)
        #expect(try store.painLog(sessionID: first.id).map(\.note) == ["calf"])
        #expect(try store.analysis(id: first.id) == whole.analysis)
        #expect(try store.sessionsWithoutInference() == [first.id])
        #expect(try store.allSessionIDs() == [first.id])

        for (count, hash) in [(6_000, "as-complete"), (5_000, "less-complete")] {
            let (other, spool) = try Self.copy(sampleCount: count, hash: hash, incompleteReason: nil)
            let outcome = try store.insertSession(other, rawSamples: spool, inference: nil)
            #expect(outcome.id == first.id && !outcome.inserted && outcome.replaced == nil)
        }
        #expect(try store.session(id: first.id)?.contentHash == "whole")
        #expect(try store.sessions(limit: 10).first?.incompleteReason == nil)
        // An incomplete copy of another clip session is stored with its reason, listed with it.
        let (torn, tornSpool) = try Self.copy(sampleCount: 3_000, hash: "torn", incompleteReason: "block 7: only 200 of 512 bytes")
        var other = torn
        other.clip = SessionDraft.ClipIdentity(serial: "BSC-0042", firmware: "1.2", sessionID: 8)
        let stored = try store.insertSession(other, rawSamples: tornSpool, inference: nil)
        #expect(try store.session(id: stored.id)?.incompleteReason == "block 7: only 200 of 512 bytes")
        #expect(try store.sessions(limit: 10).first { $0.id == stored.id }?.incompleteReason == "block 7: only 200 of 512 bytes")
    }
}
