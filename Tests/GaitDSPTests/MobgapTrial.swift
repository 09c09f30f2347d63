import Foundation
import GaitDSP

/// One of the straight-walk trials of mobgap's example data (`SampleData/real`), with the INDIP
/// reference's initial contacts: the material the daily-life augmentation cuts and stretches.
///
/// Only the Test5 trials are used here; Test11 (simulated daily life) stays held out.
struct MobgapTrial: Sendable {
    static let rateHz = 100.0

    var name: String
    var accel: [[Float]]
    var gyro: [[Float]]
    /// Reference initial contacts, seconds from the first sample, and the foot of each.
    var contactsS: [Double]
    var feet: [FootSide]

    /// The sample data folder, found from this file's place in the repository.
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleData/real")
    }

    static let trial1 = try! load("mobgap_HA001_Test5_Trial1")
    static let trial2 = try! load("mobgap_HA001_Test5_Trial2")

    /// Reads the canonical CSV (t_s, three accelerations in g, three angular rates in deg/s) and the
    /// reference contacts of its JSON sidecar.
    static func load(_ name: String) throws -> MobgapTrial {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".csv"), encoding: .utf8)
        var accel: [[Float]] = [[], [], []], gyro: [[Float]] = [[], [], []]
        for line in text.split(separator: "\n").dropFirst() where !line.hasPrefix("#") {
            let fields = line.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
            guard fields.count >= 7 else { continue }
            for axis in 0..<3 {
                accel[axis].append(fields[1 + axis])
                gyro[axis].append(fields[4 + axis])
            }
        }
        struct Contact: Decodable { var t_s: Double; var foot: FootSide }
        struct Reference: Decodable { var initial_contacts: [Contact] }
        struct Sidecar: Decodable { var reference: Reference }
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true // the sidecars write NaN for strides the reference could not measure
        let sidecar = try decoder.decode(Sidecar.self, from: Data(contentsOf: directory.appendingPathComponent(name + ".json")))
        let contacts = sidecar.reference.initial_contacts
        return MobgapTrial(name: name, accel: accel, gyro: gyro, contactsS: contacts.map(\.t_s), feet: contacts.map(\.foot))
    }

    var count: Int { accel[0].count }

    /// The mean specific force over the trial (gravity in the sensor frame), g.
    var gravity: [Float] { accel.map { $0.reduce(0, +) / Float($0.count) } }

    /// Median step time of the reference, s.
    var stepTimeS: Double {
        let steps = zip(contactsS.dropFirst(), contactsS).map { $0 - $1 }.sorted()
        return steps[steps.count / 2]
    }
}

/// A recording made for a test, with reference walking bouts (each the initial contacts of one
/// bout, and the foot of each).
struct ReferencedRecording {
    var accel: [[Float]] = [[], [], []]
    var gyro: [[Float]] = [[], [], []]
    var bouts: [[Double]] = []
    var feet: [[FootSide]] = []

    var count: Int { accel[0].count }

    /// The recording as one block of samples at `MobgapTrial.rateHz`.
    var block: IMUBlock {
        IMUBlock(timeS: (0..<count).map { Double($0) / MobgapTrial.rateHz },
                 accelXG: accel[0], accelYG: accel[1], accelZG: accel[2],
                 gyroXDPS: gyro[0], gyroYDPS: gyro[1], gyroZDPS: gyro[2])
    }

    /// The engine's analysis of the recording fed in blocks of `blockSize` samples.
    func analyse(blockSize: Int = 4096, configuration: GaitEngineConfiguration? = nil) -> GaitAnalysis {
        var engine = GaitEngine(configuration: configuration ?? GaitEngineConfiguration(nominalSampleRateHz: MobgapTrial.rateHz))
        let whole = block
        var start = 0
        while start < whole.count {
            let end = min(whole.count, start + blockSize)
            engine.process(IMUBlock(
                timeS: Array(whole.timeS[start..<end]), accelXG: Array(whole.accelXG[start..<end]),
                accelYG: Array(whole.accelYG[start..<end]), accelZG: Array(whole.accelZG[start..<end]),
                gyroXDPS: Array(whole.gyroXDPS[start..<end]), gyroYDPS: Array(whole.gyroYDPS[start..<end]),
                gyroZDPS: Array(whole.gyroZDPS[start..<end])))
            start = end
        }
        return engine.finish(input: InputDescription(source: "augmented", format: "test"))
    }

    /// Appends `piece`, blending the first 0.2 s of it with the last 0.2 s so far (raised cosine),
    /// so a join makes no step of its own; `contactsS` are the piece's contacts from its first
    /// sample, `feet` their feet.
    mutating func append(_ piece: ReferencedRecording, contactsS: [Double] = [], feet: [FootSide] = []) {
        let blend = min(20, count, piece.count)
        let start = Double(count - blend) / MobgapTrial.rateHz
        for axis in 0..<3 {
            for k in 0..<blend {
                let w = Float(0.5 - 0.5 * cos(Double.pi * Double(k + 1) / Double(blend + 1)))
                let i = count - blend + k
                accel[axis][i] = accel[axis][i] * (1 - w) + piece.accel[axis][k] * w
                gyro[axis][i] = gyro[axis][i] * (1 - w) + piece.gyro[axis][k] * w
            }
        }
        for axis in 0..<3 {
            accel[axis] += piece.accel[axis][blend...]
            gyro[axis] += piece.gyro[axis][blend...]
        }
        if !contactsS.isEmpty {
            bouts.append(contactsS.map { $0 + start })
            self.feet.append(feet)
        }
    }
}

/// Daily-life walking made from the straight-walk trials: bouts of a few steps cut at the
/// reference's contacts, slowed down (the pelvis's excursion kept, so accelerations scale with the
/// square of the cadence), made irregular (a smooth random time warp), made stronger (stairs-like),
/// between standing pauses taken from the trials' own standing.
enum DailyLifeAugmentation {
    /// A generator of reproducible random numbers (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / Double(1 << 53)
        }
    }

    /// `durationS` of the trial's standing (before its first step), from random starting points.
    static func standing(_ trial: MobgapTrial, durationS: Double, random: inout Random) -> ReferencedRecording {
        let still = Int((trial.contactsS[0] - 1.0) * MobgapTrial.rateHz)
        var piece = ReferencedRecording()
        let wanted = Int(durationS * MobgapTrial.rateHz)
        while piece.count < wanted {
            var part = ReferencedRecording()
            let from = Int(random.uniform(0...Double(still / 2)))
            for axis in 0..<3 {
                part.accel[axis] = Array(trial.accel[axis][from..<still])
                part.gyro[axis] = Array(trial.gyro[axis][from..<still])
            }
            piece.append(part)
        }
        let excess = piece.count - wanted
        for axis in 0..<3 {
            piece.accel[axis].removeLast(excess)
            piece.gyro[axis].removeLast(excess)
        }
        return piece
    }

    /// Steps `first ..< first + steps` of the trial (from half a step before the first contact to
    /// half a step after the last), played `slowing` times slower with the accelerations about
    /// gravity scaled by `amplitude`; `irregularity` (0–0.5) warps the step times smoothly by up to
    /// that fraction. Returns the piece, its contacts (seconds from its start) and their feet.
    static func walking(
        _ trial: MobgapTrial, first: Int, steps: Int, slowing: Double, amplitude: Float, irregularity: Double = 0,
        random: inout Random
    ) -> (ReferencedRecording, [Double], [FootSide]) {
        let rate = MobgapTrial.rateHz
        // New time t maps to trial time s(t), ds/dt = 1 / (slowing · (1 + irregularity · sin(2π t / P + φ))).
        let period = random.uniform(1.5...3.5), phase = random.uniform(0...(2 * Double.pi))
        var sourceTimes: [Double] = []
        var s = 0.0, t = 0.0
        let end = Double(trial.count - 1) / rate
        while s < end {
            sourceTimes.append(s)
            s += 1 / (rate * slowing * (1 + irregularity * sin(2 * Double.pi * t / period + phase)))
            t += 1 / rate
        }
        func newTime(of sourceS: Double) -> Double {
            var j = 0
            while j + 1 < sourceTimes.count, sourceTimes[j + 1] < sourceS { j += 1 }
            let a = sourceTimes[j], b = j + 1 < sourceTimes.count ? sourceTimes[j + 1] : a + 1
            return (Double(j) + (sourceS - a) / (b - a)) / rate
        }
        let contacts = trial.contactsS.map(newTime)
        let step = trial.stepTimeS * slowing
        let from = Int(((contacts[first] - 0.5 * step) * rate).rounded())
        let to = Int(((contacts[first + steps - 1] + 0.5 * step) * rate).rounded())
        let gravity = trial.gravity
        var piece = ReferencedRecording()
        for j in max(0, from)..<min(sourceTimes.count, to) {
            let x = sourceTimes[j] * rate
            let i = min(Int(x), trial.count - 2)
            let f = Float(x - Double(i))
            for axis in 0..<3 {
                let a = trial.accel[axis][i] * (1 - f) + trial.accel[axis][i + 1] * f
                piece.accel[axis].append(gravity[axis] + (a - gravity[axis]) * amplitude)
                let g = trial.gyro[axis][i] * (1 - f) + trial.gyro[axis][i + 1] * f
                piece.gyro[axis].append(g / Float(slowing))
            }
        }
        let start = Double(max(0, from)) / rate
        return (piece, contacts[first..<(first + steps)].map { $0 - start }, Array(trial.feet[first..<(first + steps)]))
    }

    /// A daily-life session: standing, then `bouts` walking bouts of 4–9 steps at 1–`maximumSlowing`
    /// times slower, each followed by a standing pause of `pausesS` seconds.
    static func session(
        seed: UInt64, bouts: Int = 8, maximumSlowing: Double = 1.8, irregularity: Double = 0.25, pausesS: ClosedRange<Double> = 2...6
    ) -> ReferencedRecording {
        var random = Random(state: seed)
        var recording = standing(.trial1, durationS: 3, random: &random)
        for _ in 0..<bouts {
            let trial = random.next() % 2 == 0 ? MobgapTrial.trial1 : .trial2
            let slowing = random.uniform(1...maximumSlowing)
            // Slower walking with the same pelvic excursion: accelerations scale with the cadence
            // squared; stairs-like steps are up to 1.6 times stronger.
            let amplitude = Float(1 / (slowing * slowing) * random.uniform(0.9...1.6))
            let steps = 4 + Int(random.next() % 6)
            let first = Int(random.next() % UInt64(trial.contactsS.count - steps + 1))
            let (piece, contacts, feet) = walking(trial, first: first, steps: steps, slowing: slowing, amplitude: amplitude,
                                                  irregularity: irregularity, random: &random)
            recording.append(piece, contactsS: contacts, feet: feet)
            recording.append(standing(trial, durationS: random.uniform(pausesS), random: &random))
        }
        return recording
    }
}

/// Initial-contact accuracy within reference bouts, as `RealDataAccuracyTests` measures it.
struct BoutAccuracy {
    var matches: [Double: EventMatch] = [:]
    var cadenceErrorsSpm: [Double] = []
    /// Reference contacts with a detected step within 200 ms that has a side, and how many of those agree.
    var sideAgreement: (agree: Int, total: Int) = (0, 0)

    init(analysis: GaitAnalysis, bouts: [[Double]], feet: [[FootSide]] = []) {
        for tolerance in [0.05, 0.1, 0.2] {
            var pooled = EventMatch.zero
            for bout in bouts {
                let detected = analysis.steps.map(\.initialContactS).filter { $0 >= bout[0] - tolerance && $0 <= bout[bout.count - 1] + tolerance }
                pooled = pooled + EventMatch.match(detected: detected, reference: bout, toleranceS: tolerance)
            }
            matches[tolerance] = pooled
        }
        for bout in bouts {
            let truth = 60 / ((bout[bout.count - 1] - bout[0]) / Double(bout.count - 1))
            let times = analysis.steps.filter { $0.initialContactS >= bout[0] && $0.initialContactS < bout[bout.count - 1] }.compactMap(\.stepTimeS)
            guard !times.isEmpty else { cadenceErrorsSpm.append(truth); continue }
            cadenceErrorsSpm.append(abs(60 / Double(times.reduce(0, +) / Float(times.count)) - truth))
        }
        for (bout, boutFeet) in zip(bouts, feet) {
            for (contact, foot) in zip(bout, boutFeet) {
                guard let nearest = analysis.steps.min(by: { abs($0.initialContactS - contact) < abs($1.initialContactS - contact) }),
                      abs(nearest.initialContactS - contact) < 0.2, let side = nearest.side else { continue }
                sideAgreement.total += 1
                if side == foot { sideAgreement.agree += 1 }
            }
        }
    }

    var report: String {
        let f1 = [0.05, 0.1, 0.2].map { String(format: "F1@%.0fms %.3f", $0 * 1000, matches[$0]!.f1) }.joined(separator: ", ")
        let worst = cadenceErrorsSpm.max() ?? 0
        let mean = cadenceErrorsSpm.isEmpty ? 0 : cadenceErrorsSpm.reduce(0, +) / Double(cadenceErrorsSpm.count)
        return f1 + String(format: ", cadence |error| mean %.1f, worst %.1f spm over %d bouts", mean, worst, cadenceErrorsSpm.count)
            + ", side \(sideAgreement.agree)/\(sideAgreement.total)"
    }
}
