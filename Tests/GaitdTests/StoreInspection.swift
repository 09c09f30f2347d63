import ClipProtocol
import Foundation
import GaitDSP

/// Checks a clip's archive folder: every `.bsession` has its record and verifies against the
/// checksum in its name, and no id is stored twice; returns the stored sessions' bytes by id.
func verifiedArchive(_ folder: String) throws -> [UInt32: [UInt8]] {
    var result: [UInt32: [UInt8]] = [:]
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for file in files where file.hasSuffix(".bsession") {
        let base = String(file.dropLast(".bsession".count))
        let parts = base.split(separator: "-")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
        guard parts.count == 2, let id = UInt32(parts[0]), let checksum = UInt32(parts[1], radix: 16),
              FileManager.default.fileExists(atPath: folder + "/" + base + ".json"),
              SessionChecksum.compute(bytes) == checksum else {
            throw StoreProblem.notWhole(file)
        }
        guard result[id] == nil else { throw StoreProblem.duplicated(file) }
        result[id] = bytes
    }
    return result
}

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

enum StoreProblem: Error { case notWhole(String), duplicated(String), orphanAnalysis(String), tornAnalysis(String) }
