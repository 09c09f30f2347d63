import Foundation
import Testing
@testable import SessionIO

/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"): a
/// seeded generator, so every run of the fuzz tests tries the same cases.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How much of each fuzz space the tests walk: all of it in the release build
/// (`Tests/ReleaseParsers`, where the parsers run at shipping speed), an evenly spread or seeded
/// sample in the unoptimised debug build, where they run ten to twenty times slower.
enum FuzzScale {
    #if DEBUG
    static let isSampled = true
    #else
    static let isSampled = false
    #endif

    /// The stride that walks `count` cases in about `debugCases` when sampled, 1 otherwise.
    static func step(count: Int, debugCases: Int) -> Int { isSampled ? max(1, count / debugCases) : 1 }

    /// `release` trials, or `debug` when sampled.
    static func trials(_ release: Int, debug: Int) -> Int { isSampled ? debug : release }
}

/// FIT bytes for the tests: the fixtures, files built record by record, checksums made valid.
enum FITTestBytes {
    static func fixture(_ name: String) -> [UInt8] {
        Array((try? Data(contentsOf: URL(fileURLWithPath: fixturePath("watch/" + name)))) ?? Data())
    }

    static let fixtures = ["run_10min.fit", "compressed_timestamps.fit", "developer_fields.fit"]

    /// A 14-byte header (with its CRC) around `records`, and the file CRC after them.
    static func file(_ records: [UInt8]) -> [UInt8] {
        let size = UInt32(records.count)
        var bytes: [UInt8] = [14, 0x20, 0x4C, 0x08, UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF),
                              UInt8(size >> 24), 0x2E, 0x46, 0x49, 0x54, 0, 0]
        bytes += records + [0, 0]
        return withValidChecksums(bytes)
    }

    /// `bytes` with the header CRC (14-byte headers) and the file CRC recomputed where the header's
    /// sizes place them, so damage meets the decoder's structural checks rather than the CRC.
    static func withValidChecksums(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        guard bytes.count >= 12 else { return bytes }
        let headerSize = Int(bytes[0])
        if headerSize == 14 && bytes.count >= 14 {
            let crc = FITCRC.compute(bytes, 0..<12)
            bytes[12] = UInt8(crc & 0xFF)
            bytes[13] = UInt8(crc >> 8)
        }
        let dataEnd = headerSize + Int(UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24)
        if dataEnd + 2 <= bytes.count && dataEnd >= 0 {
            let crc = FITCRC.compute(bytes, 0..<dataEnd)
            bytes[dataEnd] = UInt8(crc & 0xFF)
            bytes[dataEnd + 1] = UInt8(crc >> 8)
        }
        return bytes
    }

    /// A definition message: `fields` as (number, size, base type).
    static func definition(local: UInt8, global: UInt16, fields: [(UInt8, UInt8, UInt8)],
                           developerFields: [(UInt8, UInt8, UInt8)]? = nil) -> [UInt8] {
        var bytes: [UInt8] = [0x40 | (developerFields == nil ? 0 : 0x20) | local, 0, 0, UInt8(global & 0xFF), UInt8(global >> 8),
                              UInt8(fields.count)]
        for field in fields { bytes += [field.0, field.1, field.2] }
        if let developerFields {
            bytes.append(UInt8(developerFields.count))
            for field in developerFields { bytes += [field.0, field.1, field.2] }
        }
        return bytes
    }

    /// A record message definition (local 0: timestamp and heart rate) and one record.
    static func oneRecord(timestamp: UInt32 = 1_146_555_000) -> [UInt8] {
        definition(local: 0, global: 20, fields: [(253, 4, 0x86), (3, 1, 0x02)])
            + [0x00, UInt8(timestamp & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 24), 150]
    }

    /// What reading `bytes` ended in: a track or an error.
    static func read(_ bytes: [UInt8], name: String = "fuzz.fit") -> Result<WatchTrack, SessionIOError> {
        do {
            return .success(try WatchFileReader.read(bytes: bytes, name: name))
        } catch {
            return .failure(error)
        }
    }

    /// Whether a track holds only finite values in strictly increasing time.
    static func isSane(_ track: WatchTrack) -> Bool {
        var previous = -Double.infinity
        for point in track.points {
            let values = [point.distanceM, point.speedMPS, point.altitudeM, point.latitudeDeg, point.longitudeDeg, point.cadenceSPM,
                          point.heartRateBPM, point.verticalOscillationMM, point.stanceTimeMS, point.stanceTimePct,
                          point.stanceTimeBalancePct, point.stepLengthMM, point.verticalRatioPct].compactMap { $0 }
            guard point.timeUTCS.isFinite, point.timeUTCS > previous, values.allSatisfy(\.isFinite) else { return false }
            previous = point.timeUTCS
        }
        return true
    }
}

/// A FIT file that is cut short, damaged, made up or lying about its sizes is an error naming the
/// byte offset (or, when what is left is a valid file, a track of finite values), never a crash,
/// a hang or unbounded memory. These run in the release build too (`Tests/ReleaseParsers`).
@Suite("FIT decoder robustness")
struct FITDecoderRobustnessTests {
    @Test("every truncation of each FIT fixture is an error naming a byte offset (under 12 bytes: not a watch file)",
          arguments: FITTestBytes.fixtures)
    func everyTruncation(fixture: String) {
        let clock = ContinuousClock(), start = clock.now
        let bytes = FITTestBytes.fixture(fixture)
        #expect(bytes.count > 1000)
        var failures = 0
        for length in 0..<bytes.count {
            switch FITTestBytes.read(Array(bytes[0..<length])) {
            case .success:
                Issue.record("\(fixture) cut to \(length) bytes was read")
                failures += 1
            case .failure(let error):
                let fine = length == 0 ? error == .emptyFile(path: "fuzz.fit")
                    : length < 12 ? error.description.contains("not a watch file") : error.byteOffset != nil
                if !fine {
                    Issue.record("\(fixture) cut to \(length) bytes: \(error)")
                    failures += 1
                }
            }
            if failures > 5 { break }
        }
        print("FIT truncations, \(fixture): \(bytes.count) cases in \(clock.now - start)")
    }

    @Test("every cut of each FIT fixture's records, with sizes and CRCs made to agree, ends at a record boundary or in an error at the cut record",
          arguments: FITTestBytes.fixtures)
    func everyConsistentTruncation(fixture: String) {
        let clock = ContinuousClock(), start = clock.now
        let full = FITTestBytes.fixture(fixture)
        let headerSize = Int(full[0])
        let dataEnd = full.count - 2
        let fullPoints = (try? WatchFileReader.read(bytes: full, name: "full.fit").points.count) ?? 0
        var boundaries = 0, errors = 0
        for end in stride(from: headerSize, through: dataEnd, by: FuzzScale.step(count: dataEnd - headerSize + 1, debugCases: 600)) {
            var bytes = Array(full[0..<end]) + [0, 0]
            let size = UInt32(end - headerSize)
            bytes[4] = UInt8(size & 0xFF)
            bytes[5] = UInt8(size >> 8 & 0xFF)
            bytes[6] = UInt8(size >> 16 & 0xFF)
            bytes[7] = UInt8(size >> 24)
            switch FITTestBytes.read(FITTestBytes.withValidChecksums(bytes)) {
            case .success(let track):
                boundaries += 1
                #expect(track.points.count <= fullPoints && FITTestBytes.isSane(track))
            case .failure(.noTrackPoints):
                boundaries += 1
            case .failure(let error):
                errors += 1
                guard let offset = error.byteOffset, (headerSize...end).contains(offset) else {
                    Issue.record("\(fixture) records cut at \(end): \(error)")
                    return
                }
            }
        }
        print("FIT consistent truncations, \(fixture): \(boundaries + errors) cases (\(boundaries) at record boundaries, "
              + "\(errors) errors at the cut record) in \(clock.now - start)")
        #expect(errors > boundaries)
    }

    @Test("4000 seeded single-byte corruptions (1200 in debug builds): with CRCs made valid each is an error naming a byte offset or a sane track; without, each is an error")
    func randomSingleByteCorruptions() {
        let trials = FuzzScale.trials(4000, debug: 1200)
        let clock = ContinuousClock(), start = clock.now
        var generator = SeededGenerator(state: 20_260_501)
        let files = FITTestBytes.fixtures.map(FITTestBytes.fixture)
        var decoded = 0, structural = 0, checksum = 0, empty = 0
        for trial in 0..<trials {
            let original = files[trial % files.count]
            var bytes = original
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[position] ^= UInt8.random(in: 1...255, using: &generator)
            let repair = trial % 4 != 3     // three in four with valid checksums, so the parser meets the damage
            if repair { bytes = FITTestBytes.withValidChecksums(bytes) }
            switch FITTestBytes.read(bytes) {
            case .success(let track):
                decoded += 1
                #expect(repair, "byte \(position) changed and the file still read without its CRC repaired")
                #expect(FITTestBytes.isSane(track), "byte \(position)")
            case .failure(.fitChecksumMismatch):
                checksum += 1
            case .failure(.noTrackPoints):
                empty += 1
            case .failure(let error):
                structural += 1
                let signatureBroken = !bytes[8..<12].elementsEqual(".FIT".utf8)
                #expect(error.byteOffset != nil || (signatureBroken && error.description.contains("not a watch file")),
                        "byte \(position): \(error)")
            }
        }
        print("FIT single-byte corruptions: \(trials) cases (\(decoded) read with other values, \(structural) structural errors, "
              + "\(checksum) CRC errors, \(empty) without track points) in \(clock.now - start)")
    }

    @Test("3000 seeded random inputs (raw, with a '.FIT' signature, and random records in a valid header and CRC) never crash")
    func randomBytes() {
        let clock = ContinuousClock(), start = clock.now
        var generator = SeededGenerator(state: 42)
        var decoded = 0
        for trial in 0..<3000 {
            let count = Int.random(in: 0...4096, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            switch trial % 3 {
            case 0: break
            case 1 where count >= 12: bytes.replaceSubrange(8..<12, with: Array(".FIT".utf8))
            default: bytes = FITTestBytes.file(bytes)
            }
            switch FITTestBytes.read(bytes) {
            case .success(let track):
                decoded += 1
                #expect(FITTestBytes.isSane(track))
            case .failure(let error):
                #expect(error.byteOffset != nil || [.emptyFile(path: "fuzz.fit"), .noTrackPoints(path: "fuzz.fit", format: "FIT")].contains(error)
                        || error.description.contains("not a watch file"), "\(error)")
            }
        }
        print("FIT random inputs: 3000 cases (\(decoded) read) in \(clock.now - start)")
    }

    @Test("a header lying about its sizes, version or signature is an error at that header byte", arguments: [
        (0, UInt8(0), "byte 0: malformed FIT file: expected a header size of 12 or 14 bytes, found 0"),
        (0, UInt8(13), "byte 0: malformed FIT file: expected a header size of 12 or 14 bytes, found 13"),
        (0, UInt8(255), "byte 0: malformed FIT file: expected a header size of 12 or 14 bytes, found 255"),
        (1, UInt8(0x30), "byte 1: malformed FIT file: expected protocol version 1.x or 2.x, found 3.0"),
        (7, UInt8(0xFF), "byte 4: malformed FIT file: expected a data size that fits the file"),
        (4, UInt8(0x00), "FIT file CRC is"),
    ])
    func lyingHeader(index: Int, value: UInt8, message: String) {
        var bytes = FITTestBytes.fixture("compressed_timestamps.fit")
        bytes[index] = value
        let error = caughtError { try WatchFileReader.read(bytes: bytes, name: "lie.fit") }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test("a data size of 4 GiB, a header CRC that does not match and a signature-less header are refused at once")
    func moreLyingHeaders() {
        var huge = FITTestBytes.fixture("run_10min.fit")
        huge.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(caughtError { try WatchFileReader.read(bytes: FITTestBytes.withValidChecksums(huge), name: "h.fit") }?.byteOffset == 4)
        var header = FITTestBytes.fixture("run_10min.fit")
        header[12] ^= 0x01
        #expect(caughtError { try WatchFileReader.read(bytes: header, name: "h.fit") }?.description.hasPrefix("h.fit: byte 12: FIT header CRC is") == true)
        let short = Array(FITTestBytes.fixture("run_10min.fit").prefix(13))
        #expect(caughtError { try WatchFileReader.read(bytes: short, name: "s.fit") }?.description
                == "s.fit: byte 13: malformed FIT file: expected a 14-byte file header, but the file has only 13 bytes")
    }

    @Test("a definition of 255 fields of 255 bytes whose data would run past the records is refused at its data message, at once")
    func hugeDefinition() {
        let fields = (0..<255).map { (UInt8($0), UInt8(255), UInt8(0x0D)) }
        let records = FITTestBytes.definition(local: 0, global: 20, fields: fields) + [0x00] + [UInt8](repeating: 0, count: 100)
        let error = caughtError { try WatchFileReader.read(bytes: FITTestBytes.file(records), name: "d.fit") }
        #expect(error?.description == "d.fit: byte \(14 + 6 + 3 * 255): malformed FIT file: expected 65025 bytes of data for message 20 "
                + "(local type 0), but only 100 bytes of records remain")
        let developerFields = (0..<255).map { (UInt8($0), UInt8(255), UInt8(0)) }
        let developer = FITTestBytes.definition(local: 1, global: 20, fields: [], developerFields: developerFields)
        let cut = Array(developer.prefix(developer.count - 10))
        #expect(caughtError { try WatchFileReader.read(bytes: FITTestBytes.file(cut), name: "v.fit") }?.description
                == "v.fit: byte 20: malformed FIT file: expected 255 developer field definitions (765 bytes), but only 755 bytes of records remain")
    }

    @Test("a loop of a million one-byte records is bounded by the file: read quickly, nothing retained per record")
    func tinyRecordLoop() throws {
        let clock = ContinuousClock(), start = clock.now
        let records = FITTestBytes.oneRecord() + FITTestBytes.definition(local: 1, global: 0xFF00, fields: [])
            + [UInt8](repeating: 0x01, count: 1 << 20)
        let track = try WatchFileReader.read(bytes: FITTestBytes.file(records), name: "loop.fit")
        let elapsed = clock.now - start
        #expect(track.points.count == 1 && track.points[0].heartRateBPM == 150)
        #expect(elapsed < .seconds(10), "\(elapsed)")
        print("FIT loop of 2^20 one-byte records: \(elapsed)")
        let untimed = FITTestBytes.definition(local: 0, global: 20, fields: []) + [UInt8](repeating: 0x00, count: 1 << 16)
        let warned = caughtError { try WatchFileReader.read(bytes: FITTestBytes.file(untimed), name: "untimed.fit") }
        #expect(warned == .noTrackPoints(path: "untimed.fit", format: "FIT"))
    }

    @Test("records before their definition, a compressed timestamp before any timestamp and an unknown architecture name their byte")
    func structuralErrors() {
        let dataFirst = FITTestBytes.file([0x00] + FITTestBytes.oneRecord())
        #expect(caughtError { try WatchFileReader.read(bytes: dataFirst, name: "a.fit") }?.description
                == "a.fit: byte 14: malformed FIT file: expected a definition message for local message type 0 before its data")
        let compressed = FITTestBytes.file(FITTestBytes.definition(local: 0, global: 20, fields: [(3, 1, 0x02)]) + [0x85, 150])
        #expect(caughtError { try WatchFileReader.read(bytes: compressed, name: "c.fit") }?.description
                == "c.fit: byte 23: malformed FIT file: expected a message with a timestamp before the first compressed-timestamp header")
        var architecture = FITTestBytes.oneRecord()
        architecture[2] = 7
        #expect(caughtError { try WatchFileReader.read(bytes: FITTestBytes.file(architecture), name: "e.fit") }?.description
                == "e.fit: byte 16: malformed FIT file: expected architecture 0 (little-endian) or 1 (big-endian), found 7")
    }

    @Test("invalid values (0xFF, 0x7FFFFFFF, all-ones floats) are absent; a record without a timestamp is skipped with a warning")
    func invalidValuesAndUntimedRecords() throws {
        let definition = FITTestBytes.definition(local: 0, global: 20, fields: [
            (253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (3, 1, 0x02), (73, 4, 0x86), (5, 4, 0x88),
        ])
        let record: [UInt8] = [0x00, 0x78, 0x0A, 0x57, 0x44, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x10, 0xFF,
                               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let untimed = FITTestBytes.definition(local: 1, global: 20, fields: [(3, 1, 0x02)]) + [0x01, 120]
        let track = try WatchFileReader.read(bytes: FITTestBytes.file(definition + record + untimed), name: "i.fit")
        #expect(track.points == [WatchPoint(timeUTCS: 1_146_555_000 + 631_065_600)])
        #expect(track.warnings == ["1 record message without a timestamp skipped"])
    }
}
