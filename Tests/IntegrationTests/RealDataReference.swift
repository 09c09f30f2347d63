import BackstrideTestSupport
import Foundation
import GaitDSP

/// A real recording from `../shared/realdata` with its instrumented (INDIP) reference.
struct ReferenceRecording {
    struct Bout: Decodable { var start_s: Double; var end_s: Double; var avg_cadence_spm: Double? }
    struct Contact: Decodable { var t_s: Double; var foot: String }
    struct Reference: Decodable { var walking_bouts: [Bout]; var initial_contacts: [Contact] }
    struct Sidecar: Decodable { var reference: Reference }

    var name: String
    var csvPath: String
    var bouts: [Bout]
    var contacts: [Contact]

    /// The real recordings shipped in `SampleData/real` (copied from `../shared/realdata`, see its README).
    static var directory: URL { Products.root.appendingPathComponent("SampleData/real") }

    static func load(_ name: String) throws -> ReferenceRecording {
        let json = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true // the sidecars write NaN for strides the reference could not measure
        let sidecar = try decoder.decode(Sidecar.self, from: json)
        return ReferenceRecording(name: name, csvPath: directory.appendingPathComponent(name + ".csv").path,
                                  bouts: sidecar.reference.walking_bouts, contacts: sidecar.reference.initial_contacts)
    }
}

/// Accuracy of one analysis against one reference, within the reference walking bouts.
struct ReferenceAccuracy {
    var matches: [Double: EventMatch] = [:]
    var cadenceErrorsSpm: [Double] = []
    var sideAgreement: (agree: Int, total: Int) = (0, 0)

    static let tolerances: [Double] = [0.05, 0.1, 0.2]

    init() {}

    init(analysis: GaitAnalysis, reference: ReferenceRecording) {
        for tolerance in Self.tolerances {
            var pooled = EventMatch.zero
            for bout in reference.bouts {
                let lo = bout.start_s - tolerance, hi = bout.end_s + tolerance
                let detected = analysis.steps.map(\.initialContactS).filter { $0 >= lo && $0 <= hi }
                let truth = reference.contacts.map(\.t_s).filter { $0 >= bout.start_s - 1e-6 && $0 <= bout.end_s + 1e-6 }
                pooled = pooled + EventMatch.match(detected: detected, reference: truth, toleranceS: tolerance)
            }
            matches[tolerance] = pooled
        }
        for bout in reference.bouts {
            guard let truth = bout.avg_cadence_spm else { continue }
            let times = analysis.steps.filter { $0.initialContactS >= bout.start_s && $0.initialContactS < bout.end_s }
                .compactMap(\.stepTimeS)
            guard !times.isEmpty else { cadenceErrorsSpm.append(truth); continue }
            let cadence = 60 / (times.reduce(0, +) / Float(times.count))
            cadenceErrorsSpm.append(abs(Double(cadence) - truth))
        }
        for contact in reference.contacts {
            guard let nearest = analysis.steps.min(by: { abs($0.initialContactS - contact.t_s) < abs($1.initialContactS - contact.t_s) }),
                  abs(nearest.initialContactS - contact.t_s) < 0.2, let side = nearest.side else { continue }
            sideAgreement.total += 1
            if side.rawValue == contact.foot { sideAgreement.agree += 1 }
        }
    }

    static func + (a: ReferenceAccuracy, b: ReferenceAccuracy) -> ReferenceAccuracy {
        var r = ReferenceAccuracy()
        for t in tolerances { r.matches[t] = (a.matches[t] ?? .zero) + (b.matches[t] ?? .zero) }
        r.cadenceErrorsSpm = a.cadenceErrorsSpm + b.cadenceErrorsSpm
        r.sideAgreement = (a.sideAgreement.agree + b.sideAgreement.agree, a.sideAgreement.total + b.sideAgreement.total)
        return r
    }

    var report: String {
        var parts = Self.tolerances.map { t in
            let m = matches[t] ?? .zero
            return String(format: "F1@%.0fms %.3f (P %.2f R %.2f)", t * 1000, m.f1, m.precision, m.recall)
        }
        let m = matches[0.2] ?? .zero
        parts.append(String(format: "IC error %+.0f ms (abs %.0f)", m.meanSignedErrorS * 1000, m.meanAbsoluteErrorS * 1000))
        let meanCadence = cadenceErrorsSpm.isEmpty ? 0 : cadenceErrorsSpm.reduce(0, +) / Double(cadenceErrorsSpm.count)
        parts.append(String(format: "cadence |error| %.1f spm over %d bouts", meanCadence, cadenceErrorsSpm.count))
        parts.append("side \(sideAgreement.agree)/\(sideAgreement.total)")
        return parts.joined(separator: ", ")
    }
}
