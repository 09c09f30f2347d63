import BackstrideTestSupport
import ClipProtocol
import Foundation
import GaitDSP
import SessionIO
import SessionIngest
@testable import SessionStore

/// Temporary databases and synthetic session files for the store's tests.
enum StoreFixtures {
    /// A new, empty folder under the temporary directory.
    static func folder() -> String {
        try! temporaryDirectory(prefix: "backstride-store-tests")
    }

    /// A store in a new folder.
    static func store() throws -> SQLiteSessionStore {
        try SQLiteSessionStore(path: folder() + "/store.sqlite")
    }

    /// The one way in over `store`.
    static func ingest(_ store: SQLiteSessionStore) -> SessionIngest { SessionIngest(store: store) }

    /// A canonical CSV of a steady synthetic run (`run-SEED.csv`).
    static func csv(in folder: String, durationS: Double = 60, rateHz: Double = 100, seed: UInt64 = 1) throws -> String {
        try SyntheticRun.steadyCSV(in: folder, durationS: durationS, sampleRateHz: rateHz, seed: seed)
    }

    /// A clip session file (`.bsession`) of a synthetic run, quantised to the clip's counts.
    static func clipSession(in folder: String, durationS: Double = 60, rateHz: Double = 200, seed: UInt64 = 2,
                            serial: String = "BSC-0042", sessionID: UInt32 = 7) -> String {
        let bytes = clipSessionBytes(durationS: durationS, rateHz: rateHz, seed: seed, serial: serial, sessionID: sessionID)
        let path = folder + "/\(serial)-\(sessionID).bsession"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func clipSessionBytes(durationS: Double, rateHz: Double, seed: UInt64, serial: String, sessionID: UInt32) -> [UInt8] {
        ClipSessionFile.bytes(durationS: durationS, rateHz: rateHz, seed: seed, serial: serial, sessionID: sessionID)
    }
}
