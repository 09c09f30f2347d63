import SessionIO

/// libFuzzer entry: the bytes as a watch file, read as FIT, GPX and TCX in turn (the reader picks
/// by content and name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for name in ["fuzz.fit", "fuzz.gpx", "fuzz.tcx"] { _ = try? WatchFileReader.read(bytes: bytes, name: name) }
    return 0
}
