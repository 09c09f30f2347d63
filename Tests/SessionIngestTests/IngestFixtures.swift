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
        let header = SessionHeader(sessionID: sessionID, hasGyroscope: true, firmwareBCD: 0x0102,
                                   sampleRateMilliHz: UInt32(rateHz * 1000), startTicks: 5_000_000,
                                   startUTCMicroseconds: 1_760_000_000_000_000, serial: serial)
        var encoder = SessionEncoder(header: header)
        var index: UInt64 = 0
        for block in SyntheticRun.blocks(.steadyRun(durationS: durationS, sampleRateHz: rateHz, seed: seed)) {
            for i in 0..<block.count {
                let sample = RawSample(
                    accelX: header.accelCounts(block.accelXG[i]), accelY: header.accelCounts(block.accelYG[i]),
                    accelZ: header.accelCounts(block.accelZG[i]), gyroX: header.gyroCounts(block.gyroXDPS[i]),
                    gyroY: header.gyroCounts(block.gyroYDPS[i]), gyroZ: header.gyroCounts(block.gyroZDPS[i]))
                encoder.append(sample, ticks: header.startTicks + index * 1_000_000 / UInt64(rateHz))
                index += 1
            }
        }
        return encoder.finish()
    }
}
