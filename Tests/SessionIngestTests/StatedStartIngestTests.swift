import Foundation
import SessionIngest
import SessionStore
import Testing

/// A CSV that states its start is stored with it; one that does not is stored with no start
/// (shown as unknown), never with the import's time.
@Suite("SessionIngest: starts stated by the file")
struct StatedStartIngestTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SessionIOTests/Fixtures")

    @Test("GENEActiv and MetaWear files are dated by what they state; phyphox is unknown; an explicit start wins")
    func statedStarts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-start-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try SQLiteSessionStore(path: folder + "/store.sqlite")
        let ingest = SessionIngest(store: store, spoolDirectory: folder)
        func start(_ name: String, _ attribution: Attribution = Attribution()) throws -> Date? {
            let id = try ingest.ingestFile(path: Self.fixtures.appendingPathComponent(name).path, attribution: attribution).id
            return try store.session(id: id)?.startedAt
        }
        #expect(try start("geneactiv_lowerback.csv") == Date(timeIntervalSince1970: 1_565_101_550))
        #expect(try start("metawear_accelerometer.csv") == Date(timeIntervalSince1970: 1_559_827_972))
        #expect(try start("phyphox_acceleration_with_g.csv") == nil)
        let given = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(try start("sensorlogger/TotalAcceleration.csv", Attribution(startedAt: given)) == given)
        let document = try #require(try store.analysis(id: try store.allSessionIDs()[0]))
        #expect(document.input.startUTCS == 1_565_101_550)
    }
}
