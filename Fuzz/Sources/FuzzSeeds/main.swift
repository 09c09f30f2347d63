import ClipProtocol
import Foundation

// Writes the `.bsession` seed corpus: small sessions as the clip's firmware writes them (with and
// without a gyroscope, with a gap), and the frames of a short request/response exchange.
// With a third folder, also the `.bsession` reproducers of issue 13 (kept in Fuzz/Regressions).
// Usage: fuzz-seeds DIR_BSESSION DIR_FRAMES [DIR_BSESSION_REGRESSIONS]
let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: fuzz-seeds DIR_BSESSION DIR_FRAMES [DIR_BSESSION_REGRESSIONS]\n".utf8))
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

// Reproducers: a header the issue found accepted (NaN and zero scales, a 1 Hz tick rate), and
// blocks whose ticks go backwards.
if arguments.count == 4 {
    func header(_ change: (inout SessionHeader) -> Void) -> SessionHeader {
        var h = SessionHeader(sessionID: 9, hasGyroscope: true, firmwareBCD: 0x0102, sampleRateMilliHz: 100_000,
                              startTicks: 1_000_000, startUTCMicroseconds: 1_764_000_000_000_000, serial: "BSC-0001")
        change(&h)
        return h
    }
    let samples = (0..<40).map { i in RawSample(accelX: Int16(2048 + 30 * i), accelY: 10, accelZ: -20, gyroX: 1, gyroY: 2, gyroZ: 3) }
    func blocks(_ h: SessionHeader, ticks: [UInt64]) -> [UInt8] {
        var bytes = h.encodedBlock()
        for (i, t) in ticks.enumerated() {
            bytes += SessionDataBlock(sequence: UInt32(i + 1), sessionID: h.sessionID, firstSampleIndex: UInt32(40 * i),
                                      firstSampleTicks: t, hasGyroscope: true, samples: samples).encodedBlock()
        }
        return bytes
    }
    let reproducers: [(String, [UInt8])] = [
        ("nan-accel-scale.bsession", blocks(header { $0.accelGPerLsb = .nan }, ticks: [1_000_000, 1_400_000])),
        ("zero-accel-scale.bsession", blocks(header { $0.accelGPerLsb = 0 }, ticks: [1_000_000, 1_400_000])),
        ("nan-gyro-scale.bsession", blocks(header { $0.gyroDPSPerLsb = .nan }, ticks: [1_000_000, 1_400_000])),
        ("tick-rate-1hz.bsession", blocks(header { $0.tickRateHz = 1 }, ticks: [1_000_000, 1_000_004])),
        ("ticks-backwards.bsession", blocks(header { _ in }, ticks: [5_000_000, 5_400_000, 1_000_000, 9_000_000])),
    ]
    for (name, bytes) in reproducers {
        try Data(bytes).write(to: URL(fileURLWithPath: arguments[3]).appendingPathComponent(name))
    }
}
