import ClipProtocol
import Foundation

// Writes the `.bsession` seed corpus: small sessions as the clip's firmware writes them (with and
// without a gyroscope, with a gap), and the frames of a short request/response exchange.
// Usage: fuzz-seeds DIR_BSESSION DIR_FRAMES
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: fuzz-seeds DIR_BSESSION DIR_FRAMES\n".utf8))
    exit(64)
}
func session(gyroscope: Bool, samples: Int, gapAt: Int?) -> [UInt8] {
    let header = SessionHeader(sessionID: 7, hasGyroscope: gyroscope, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000,
                               startTicks: 1_000_000, startUTCMicroseconds: 1_764_000_000_000_000, serial: "BSC-0001")
    var encoder = SessionEncoder(header: header)
    var ticks: UInt64 = 1_000_000
    for i in 0..<samples {
        let phase = Double(i) / 100 * 2 * Double.pi * 2.8
        let vertical = Int16(2048 + 1500 * sin(phase))
        encoder.append(RawSample(accelX: vertical, accelY: Int16(200 * sin(phase / 2)), accelZ: Int16(300 * cos(phase)),
                                 gyroX: 10, gyroY: -20, gyroZ: 30), ticks: ticks)
        ticks += 10_000
        if i == gapAt { ticks += 5_000_000 }
    }
    return encoder.finish()
}
let seeds: [(String, [UInt8])] = [
    ("gyro-120.bsession", session(gyroscope: true, samples: 120, gapAt: nil)),
    ("accel-200.bsession", session(gyroscope: false, samples: 200, gapAt: nil)),
    ("gap-100.bsession", session(gyroscope: true, samples: 100, gapAt: 50)),
]
for (name, bytes) in seeds {
    try Data(bytes).write(to: URL(fileURLWithPath: arguments[1]).appendingPathComponent(name))
}
// Frames of every type with small payloads, and two frames back to back.
var frames: [[UInt8]] = FrameType.allCases.enumerated().map { i, type in
    Frame(type, sequence: UInt16(i), payload: Array(repeating: UInt8(i), count: i % 5)).encoded()
}
frames.append(Frame(.getInfo, sequence: 1).encoded() + Frame(.getClock, sequence: 2).encoded())
for (i, bytes) in frames.enumerated() {
    try Data(bytes).write(to: URL(fileURLWithPath: arguments[2]).appendingPathComponent("frame-\(i).bin"))
}
