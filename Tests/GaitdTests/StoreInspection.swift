import Foundation
import GaitDSP
import SessionStore

/// The analyses in a folder (`*.analysis.json`), decoded: a torn or foreign file throws.
/// Each must sit beside the session it analyses.
func analyses(in folder: String, dataExtension: String = "bsession") throws -> [String: GaitAnalysis] {
    var result: [String: GaitAnalysis] = [:]
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for file in files where file.hasSuffix(".analysis.json") {
        let base = String(file.dropLast(".analysis.json".count))
        guard FileManager.default.fileExists(atPath: folder + "/" + base + "." + dataExtension) else {
            throw StoreProblem.orphanAnalysis(file)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
        do {
            result[base] = try GaitAnalysis.decode(json: data)
        } catch {
            throw StoreProblem.tornAnalysis(file)
        }
    }
    return result
}

/// Number of `.analysis.json` files in a folder (cheap, for polling).
func analysisCount(in folder: String) -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".analysis.json") }.count
}

enum StoreProblem: Error { case duplicated(String), orphanAnalysis(String), tornAnalysis(String), notAnalysed(String) }

/// gaitd's SQLite session store in a data directory.
func storePath(_ data: String) -> String { data + "/backstride.sqlite" }

/// One session in gaitd's store as the tests check it: its listing row and its clip session id.
struct StoredRow {
    var row: SessionSummaryRow
    var clipSessionID: Int64?
}

/// Every session in gaitd's store (newest first), with its clip session id; empty before gaitd created the store.
func storedRows(_ data: String) throws -> [StoredRow] {
    guard FileManager.default.fileExists(atPath: storePath(data)) else { return [] }
    let store = try SQLiteSessionStore(path: storePath(data))
    return try store.sessions(limit: 10_000).map { StoredRow(row: $0, clipSessionID: try store.session(id: $0.id)?.clipSessionId) }
}

/// The analysed clip sessions of `serial` in gaitd's store.
func storedClipRows(_ data: String, serial: String) throws -> [StoredRow] {
    try storedRows(data).filter { $0.row.source == .clip && $0.row.origin == serial && $0.row.stepCount != nil }
}

/// Number of analysed clip sessions of `serial` in the store (for polling: 0 on any error).
func storedCount(_ data: String, serial: String) -> Int {
    (try? storedClipRows(data, serial: serial).count) ?? 0
}

/// Checks that the store holds each of `serial`'s clip sessions at most once, each analysed
/// with steps and a running cadence of about 170 steps/min; returns their clip session ids.
func checkedClipSessions(_ data: String, serial: String, cadence: Double = 170) throws -> Set<UInt32> {
    let rows = try storedRows(data).filter { $0.row.source == .clip && $0.row.origin == serial }
    var ids = Set<UInt32>()
    for stored in rows {
        guard let id = stored.clipSessionID.flatMap(UInt32.init(exactly:)), ids.insert(id).inserted else {
            throw StoreProblem.duplicated("\(serial) session \(stored.clipSessionID.map(String.init) ?? "?") in the store")
        }
        guard let steps = stored.row.stepCount, steps > 0, let spm = stored.row.cadenceSpm, abs(Double(spm) - cadence) < 5,
              stored.row.primaryActivity == ActivityKind.running.rawValue else {
            throw StoreProblem.notAnalysed("\(serial) session \(id): \(stored.row)")
        }
    }
    return ids
}
