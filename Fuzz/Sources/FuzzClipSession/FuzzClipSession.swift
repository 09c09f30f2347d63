import ClipProtocol
import Glibc
import GaitDSP
import SessionIO

/// libFuzzer entry: the bytes as a clip `.bsession` file (written to a file in memory, as the
/// reader takes a path), read block by block and analysed; also the header and block decoders
/// on their own.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClipSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let path = "/dev/shm/backstride-fuzz-\(getpid()).bsession"
    guard let file = fopen(path, "wb") else { return 0 }
    _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, size, file) }
    fclose(file)
    defer { unlink(path) }
    guard var reader = try? ClipSessionReader(path: path) else { return 0 }
    defer { reader.close() }
    var engine = GaitEngine()
    do {
        while let block = try reader.nextBlock() { engine.process(block) }
    } catch {
        return 0
    }
    let analysis = engine.finish(input: InputDescription(source: "fuzz.bsession", format: "fuzz"))
    _ = analysis.textSummary()
    _ = try? analysis.jsonData(prettyPrinted: false)
    return 0
}
