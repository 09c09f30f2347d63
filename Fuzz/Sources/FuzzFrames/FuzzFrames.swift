import ClipProtocol

/// libFuzzer entry: the bytes as a USB stream from the clip, fed to the frame decoder in two
/// pieces (a frame split across reads), and every frame decoded as a response.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var decoder = FrameDecoder()
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    _ = decoder.feed(Array(bytes[..<cut]))
    _ = decoder.feed(Array(bytes[cut...]))
    var again = FrameDecoder()
    for frame in again.frames(from: bytes) { _ = try? ClipResponse(decoding: frame) }
    return 0
}
