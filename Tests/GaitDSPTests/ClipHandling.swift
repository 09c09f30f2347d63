import Foundation

/// Standing with the clip handled: what a person does between walks that is not walking.
///
/// The base is the real standing of the mobgap trials; on it: the clip taken off and turned over
/// (60–150°, wobbling in the hand), re-seated on the belt (small random turns, hand jolts), tapped
/// (a burst of regular taps along its AP axis), and sitting down for a while with fidgeting legs.
enum ClipHandling {
    /// Rotates `v` about the unit `axis` by `angle` radians (Rodrigues).
    static func rotate(_ v: (Float, Float, Float), axis: (Float, Float, Float), angle: Float) -> (Float, Float, Float) {
        let c = cos(angle), s = sin(angle)
        let dot = v.0 * axis.0 + v.1 * axis.1 + v.2 * axis.2
        let cross = (axis.1 * v.2 - axis.2 * v.1, axis.2 * v.0 - axis.0 * v.2, axis.0 * v.1 - axis.1 * v.0)
        return (v.0 * c + cross.0 * s + axis.0 * dot * (1 - c),
                v.1 * c + cross.1 * s + axis.1 * dot * (1 - c),
                v.2 * c + cross.2 * s + axis.2 * dot * (1 - c))
    }

    /// Smooth random noise: white noise through a moving average of `width` samples, then scaled to RMS `rms`.
    static func smoothNoise(count: Int, width: Int, rms: Float, random: inout DailyLifeAugmentation.Random) -> [Float] {
        let white = (0..<(count + width)).map { _ in Float(random.uniform(-1...1)) }
        var out = [Float](repeating: 0, count: count)
        var sum: Float = white[0..<width].reduce(0, +)
        for i in 0..<count {
            out[i] = sum / Float(width)
            sum += white[i + width] - white[i]
        }
        let current = (out.map { $0 * $0 }.reduce(0, +) / Float(count)).squareRoot()
        return out.map { $0 * rms / max(current, 1e-6) }
    }

    /// What is done to the clip in one episode.
    enum Episode: CaseIterable {
        case turnedOver, reseated, tapped, satOn
    }

    /// 90 s of standing with one handling episode of each of `episodes`, in a random order and place.
    static func standingSession(seed: UInt64, episodes: [Episode] = Episode.allCases) -> ReferencedRecording {
        var random = DailyLifeAugmentation.Random(state: seed &* 7919)
        var recording = DailyLifeAugmentation.standing(seed % 2 == 0 ? .trial1 : .trial2, durationS: 90, random: &random)
        let rate = Float(MobgapTrial.rateHz)
        let n = recording.count
        // Angle (rad) of the clip about `axis` at every sample, and extra hand acceleration (g, sensor axes).
        var angle = [Float](repeating: 0, count: n)
        var extra: [[Float]] = Array(repeating: [Float](repeating: 0, count: n), count: 3)
        let axisAngle = Float(random.uniform(0...(2 * Double.pi)))
        // A horizontal axis in the mobgap frame (x up): the clip pitches or rolls.
        let axis = (Float(0), cos(axisAngle), sin(axisAngle))
        var kinds = episodes
        for i in kinds.indices.reversed() { kinds.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        for (slot, kind) in kinds.enumerated() {
            let start = Int((Double(slot) * 21 + random.uniform(2...6)) * MobgapTrial.rateHz)
            switch kind {
            case .turnedOver: // Taken off and turned over, wobbling in the hand.
                let length = Int(random.uniform(4...8) * MobgapTrial.rateHz)
                let turn = Float(random.uniform(60...150)) * .pi / 180
                let wobble = smoothNoise(count: length, width: 25, rms: 8 * .pi / 180, random: &random)
                let hand = (0..<3).map { _ in smoothNoise(count: length, width: 5, rms: 0.1, random: &random) }
                for k in 0..<length where start + k < n {
                    let ramp = min(1, Float(k) / rate, Float(length - k) / rate)
                    angle[start + k] = turn * ramp * ramp * (3 - 2 * ramp) + wobble[k]
                    for a in 0..<3 { extra[a][start + k] = hand[a][k] }
                }
            case .reseated: // Re-seated on the belt: small random turns and jolts.
                let length = Int(random.uniform(3...5) * MobgapTrial.rateHz)
                let turns = smoothNoise(count: length, width: 20, rms: 10 * .pi / 180, random: &random)
                let hand = (0..<3).map { _ in smoothNoise(count: length, width: 8, rms: 0.15, random: &random) }
                for k in 0..<length where start + k < n {
                    angle[start + k] = turns[k]
                    for a in 0..<3 { extra[a][start + k] = hand[a][k] }
                }
            case .tapped: // Tapped: a burst of taps along the clip's AP axis (z), 0.5–0.8 s apart.
                let interval = random.uniform(0.5...0.8)
                for tap in 0..<8 {
                    let at = start + Int(Double(tap) * interval * MobgapTrial.rateHz)
                    for k in 0..<2 where at + k < n { extra[2][at + k] += 1 }
                    for k in 2..<6 where at + k < n { extra[2][at + k] -= 0.4 }
                }
            case .satOn: // Sits down (the pelvis reclines 30°), fidgets, stands up.
                let length = Int(random.uniform(10...15) * MobgapTrial.rateHz)
                let fidget = smoothNoise(count: length, width: 15, rms: 0.03, random: &random)
                for k in 0..<length where start + k < n {
                    let ramp = min(1, Float(k) / (1.5 * rate), Float(length - k) / (1.5 * rate))
                    angle[start + k] = 30 * .pi / 180 * ramp * ramp * (3 - 2 * ramp)
                    extra[0][start + k] = fidget[k]
                }
            }
        }
        for i in 0..<n {
            let (x, y, z) = rotate((recording.accel[0][i], recording.accel[1][i], recording.accel[2][i]), axis: axis, angle: angle[i])
            recording.accel[0][i] = x + extra[0][i]
            recording.accel[1][i] = y + extra[1][i]
            recording.accel[2][i] = z + extra[2][i]
        }
        return recording
    }
}
