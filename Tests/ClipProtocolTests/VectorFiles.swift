import Foundation

/// The shared test vectors in Firmware-protocol/vectors, read straight from the repository so that
/// the spec's bytes and the code cannot drift apart.
struct VectorIndex: Decodable {
    struct Vector: Decodable, CustomStringConvertible {
        var name: String
        var file: String
        var kind: String
        var description: String
        var length: Int
        var type: String?
        var sequence: Int?
        var programmedBytes: Int?
        var goodSamples: Int?
        var badBlock: Int?
    }
    var vectors: [Vector]

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Firmware-protocol/vectors")

    static let shared: VectorIndex = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("index.json"))
        return try! JSONDecoder().decode(VectorIndex.self, from: data)
    }()

    static func vectors(kind: String...) -> [Vector] { shared.vectors.filter { kind.contains($0.kind) } }

    static func vector(_ name: String) -> Vector { shared.vectors.first { $0.name == name }! }
}

extension VectorIndex.Vector {
    /// The vector's bytes (hex pairs, whitespace ignored).
    var bytes: [UInt8] {
        let text = try! String(contentsOf: VectorIndex.directory.appendingPathComponent(file), encoding: .utf8)
        return text.split(whereSeparator: { $0.isWhitespace }).map { UInt8($0, radix: 16)! }
    }
}
