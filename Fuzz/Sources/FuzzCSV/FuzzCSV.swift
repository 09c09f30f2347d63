import GaitDSP
import SessionIO

/// libFuzzer entry: the bytes as a CSV session, read block by block and analysed. Any thrown
/// `SessionIOError` is a clean refusal; a crash, a sanitizer report or a slow input is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard var reader = try? CSVSessionReader(bytes: bytes, name: "fuzz.csv", blockSize: 256) else { return 0 }
    var engine = GaitEngine()
    do {
        while let block = try reader.nextBlock() { engine.process(block) }
    } catch {
        return 0
    }
    let analysis = engine.finish(input: InputDescription(source: "fuzz.csv", format: "fuzz"))
    _ = analysis.textSummary()
    _ = try? analysis.jsonData(prettyPrinted: false)
    return 0
}
