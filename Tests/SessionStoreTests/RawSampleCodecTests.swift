import BackstrideTestSupport
import Foundation
import GaitDSP
import Testing
@testable import SessionStore

@Suite("RawSampleCodec")
struct RawSampleCodecTests {
    @Test("CSV-like floats and times round-trip bit for bit", arguments: [true, false])
    func floatSamplesRoundTripExactly(gyro: Bool) throws {
        let block = SyntheticRun.blocks(.steadyRun(durationS: 30, sampleRateHz: 100, seed: 3, includeGyro: gyro))[0]
        let (bytes, rawCount) = RawSampleCodec.encode(block)
        let decoded = try #require(RawSampleCodec.decode(bytes, rawCount: rawCount))
        #expect(decoded == block)
        #expect(decoded.timeS.map(\.bitPattern) == block.timeS.map(\.bitPattern))
    }

    @Test("integer counts times a scale use the count encoding and round-trip exactly")
    func scaledCountsRoundTripExactly() throws {
        let scale: Float = 1.0 / 2048
        var block = IMUBlock()
        for i in 0..<10_000 {
            let k = Float((i * 37) % 4001 - 2000)
            block.append(timeS: 1_760_000_000 + Double(i) / 1000, x: k * scale, y: -k * scale, z: 2048 * scale)
        }
        let (bytes, rawCount) = RawSampleCodec.encode(block, accelScaleG: scale)
        let decoded = try #require(RawSampleCodec.decode(bytes, rawCount: rawCount))
        #expect(decoded == block)
        let (floatBytes, _) = RawSampleCodec.encode(block)
        #expect(bytes.count < floatBytes.count)
    }

    @Test("special values and an empty chunk round-trip")
    func specialValuesRoundTrip() throws {
        let block = IMUBlock(timeS: [0, -0.0, 1e300, .leastNonzeroMagnitude], accelXG: [0, -0.0, .infinity, .nan],
                             accelYG: [1, 2, 3, 4], accelZG: [-.infinity, .greatestFiniteMagnitude, -1, 0])
        let (bytes, rawCount) = RawSampleCodec.encode(block, accelScaleG: 1.0 / 2048)
        let decoded = try #require(RawSampleCodec.decode(bytes, rawCount: rawCount))
        #expect(decoded.timeS.map(\.bitPattern) == block.timeS.map(\.bitPattern))
        #expect(decoded.accelXG.map(\.bitPattern) == block.accelXG.map(\.bitPattern))
        let (emptyBytes, emptyCount) = RawSampleCodec.encode(IMUBlock())
        #expect(RawSampleCodec.decode(emptyBytes, rawCount: emptyCount)?.count == 0)
    }

    @Test("damaged bytes are refused, not misread")
    func damagedChunkIsRefused() {
        let block = SyntheticRun.blocks(.steadyRun(durationS: 5, sampleRateHz: 100, seed: 4))[0]
        var (bytes, rawCount) = RawSampleCodec.encode(block)
        bytes[bytes.count / 2] ^= 0xFF
        #expect(RawSampleCodec.decode(bytes, rawCount: rawCount) == nil)
    }

    @Test("SHA-256 matches the FIPS 180-4 examples")
    func contentHashMatchesKnownVectors() {
        #expect(ContentHash.of([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.of(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(ContentHash.of(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var split = ContentHash()
        split.update(long[0..<5])
        split.update(long[5...])
        #expect(split.hexDigest() == ContentHash.of(long))
        // A digest can be read and more bytes added after it.
        split.update(ArraySlice(Array("x".utf8)))
        #expect(split.hexDigest() == ContentHash.of(long + Array("x".utf8)))
    }

    @Test("SHA-256 of a million 'a's fed in pieces of every size is the FIPS 180-4 example's")
    func contentHashOfAMillionAsInPieces() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hash = ContentHash()
        var start = 0, piece = 0
        while start < million.count {
            let end = min(million.count, start + piece % 200)
            hash.update(million[start..<end])
            start = end
            piece += 1
        }
        #expect(hash.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
