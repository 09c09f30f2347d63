import Foundation
import GaitDSP
@testable import SessionIO

/// Path of a file in `Fixtures/`.
func fixturePath(_ name: String) -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
    }
    return url.path
}

/// Reads all of `text` with a tiny read chunk, so chunk boundaries fall inside lines and numbers.
func readAllSmallChunks(
    _ text: String, name: String = "data.csv", chunkBytes: Int = 7, maxLineBytes: Int = CSVSessionReader.maxLineBytes,
    blockSize: Int = 5
) throws(SessionIOError) -> (IMUBlock, SessionMetadata, [SessionIOWarning]) {
    try readAllSmallChunks(bytes: Array(text.utf8), name: name, chunkBytes: chunkBytes, maxLineBytes: maxLineBytes,
                           blockSize: blockSize)
}

func readAllSmallChunks(
    bytes: [UInt8], name: String = "data.csv", chunkBytes: Int = 7, maxLineBytes: Int = CSVSessionReader.maxLineBytes,
    blockSize: Int = 5
) throws(SessionIOError) -> (IMUBlock, SessionMetadata, [SessionIOWarning]) {
    var reader = try CSVSessionReader(bytes: bytes, name: name, blockSize: blockSize, chunkBytes: chunkBytes,
                                      maxLineBytes: maxLineBytes)
    return try reader.readRemaining()
}

/// The error `body` throws, or nil.
func caughtError<T>(_ body: () throws -> T) -> SessionIOError? {
    do {
        _ = try body()
        return nil
    } catch let error as SessionIOError {
        return error
    } catch {
        return nil
    }
}

/// A temporary file path unique to this process and `name`.
func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("sessionio-\(getpid())-\(name)").path
}
