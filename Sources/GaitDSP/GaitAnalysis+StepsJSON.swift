import Foundation

/// The steps of an analysis document written straight to bytes: the document of a one-hour run
/// holds about 10,000 steps, and `JSONEncoder` spent a quarter of `gait analyze --format json`
/// on them (0.13 of 0.53 s at 1 kHz, `perf`), more than the DSP itself. The rest of the document
/// stays with `JSONEncoder`; the steps are written here byte for byte as it writes them (compact,
/// sorted keys, numbers as their shortest round-trip form without a trailing ".0"), which
/// `StepsJSONTests` checks against `JSONEncoder` itself.
extension GaitAnalysis {
    /// The compact JSON document (sorted keys) `JSONEncoder` would write for `document`: it is
    /// encoded with its steps (at `steps`) left empty, and the steps are spliced in. Nil where it
    /// has no steps, or a step holds a value JSON cannot (not finite): the caller then encodes the
    /// whole document, and `JSONEncoder` says what is wrong.
    public static func compactJSON<Document: Encodable>(
        of document: Document, steps: WritableKeyPath<Document, [GaitStep]>, encoder: JSONEncoder
    ) throws -> Data? {
        guard !document[keyPath: steps].isEmpty, let stepBytes = stepsJSON(document[keyPath: steps]) else { return nil }
        var steplessDocument = document
        steplessDocument[keyPath: steps] = []
        let stepless = try encoder.encode(steplessDocument)
        return stepless.withUnsafeBytes { raw -> Data? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let slot = emptyTopLevelStepsRange(in: bytes) else { return nil }
            var out = Data(capacity: bytes.count + stepBytes.count)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<slot.lowerBound]))
            out.append(contentsOf: stepBytes)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[slot.upperBound...]))
            return out
        }
    }

    /// The range of the two bytes `[]` of a top-level `"steps":[]` in a compact JSON object.
    /// Strings are skipped as a whole (a value or a nested key spelled "steps" is never taken).
    public static func emptyTopLevelStepsRange(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let key = Array(#""steps":[]"#.utf8)
        var depth = 0, i = 0
        let n = bytes.count
        while i < n {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                if depth == 1, i + key.count <= n, key.indices.allSatisfy({ bytes[i + $0] == key[$0] }) {
                    return (i + key.count - 2)..<(i + key.count)
                }
                i += 1
                while i < n, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            i += 1
        }
        return nil
    }

    /// `steps` as a compact JSON array with sorted keys; nil if a value is not finite.
    static func stepsJSON(_ steps: [GaitStep]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(steps.count * 420 + 2)
        out.append(UInt8(ascii: "["))
        for (i, step) in steps.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard step.appendJSON(to: &out) else { return nil }
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}

extension GaitStep {
    /// Appends the step as `JSONEncoder` writes it with `.sortedKeys` (absent values leave their
    /// key out); false if a value is not finite (`out` then holds a partial step).
    func appendJSON(to out: inout [UInt8]) -> Bool {
        var first = true
        var finite = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func number<T: BinaryFloatingPoint & CustomStringConvertible>(_ name: StaticString, _ value: T?) {
            guard let value else { return }
            guard value.isFinite else { finite = false; return }
            key(name)
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            out.append(contentsOf: text.utf8)
        }
        func string(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            Self.appendJSONString(value, to: &out)
        }
        // In the order of the keys' UTF-8 bytes, as `.sortedKeys` writes them.
        string("activity", activity.rawValue)
        number("braking_peak_g", brakingPeakG)
        number("braking_velocity_loss_mps", brakingVelocityLossMPS)
        number("contact_time_quality", contactTimeQuality)
        number("final_contact_s", finalContactS)
        number("ground_contact_time_s", groundContactTimeS)
        number("impact_peak_g", impactPeakG)
        number("loading_rate_g_per_s", loadingRateGPerS)
        number("peak_vertical_force_bw", peakVerticalForceBW)
        number("pelvic_obliquity_deg", pelvicObliquityDeg)
        number("pelvic_rotation_deg", pelvicRotationDeg)
        number("pelvis_tilt_deg", pelvisTiltDeg)
        string("side", side?.rawValue)
        number("side_confidence", sideConfidence)
        number("step_time_s", stepTimeS)
        number("t_s", initialContactS)
        number("vertical_oscillation_cm", verticalOscillationCm)
        out.append(UInt8(ascii: "}"))
        return finite
    }

    /// A JSON string as `JSONEncoder` escapes it by default (quote, backslash, slash and control
    /// characters).
    static func appendJSONString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "/"): out.append(contentsOf: #"\/"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
