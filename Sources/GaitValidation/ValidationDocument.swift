import Foundation

/// The JSON report (`backstride.validation/1`): per data set its settings, a record per trial
/// and per pool with the metrics, and what was not scored. Keys are the property names in snake
/// case; units are in the names (`_s` seconds, `_spm` steps/min, `_bw` body weights).
struct ValidationDocument: Encodable {
    var schema = ValidationReport.schemaIdentifier
    var dataSets: [DataSet]

    struct DataSet: Encodable {
        var folder: String
        var title: String?
        var settings: ValidationSettings
        var hasHeldOutList: Bool
        var heldOutNotFound: [String]
        var withoutReference: [ValidationFolder.UnreferencedRecording]
        var trials: [Trial]
        var pools: [Pool]
    }

    struct Trial: Encodable {
        var name: String
        var heldOut: Bool
        var speedMps: Double?
        var treadmillSlopeDeg: Double?
        var boutCadences: [BoutCadence]
        var medianContactTimeS: Medians
        var medianPeakForceBW: Medians
        var metrics: ValidationMetrics
    }

    struct BoutCadence: Encodable {
        var referenceSpm: Double
        var oursSpm: Double?
        var errorSpm: Double
        var oursLikeForLikeSpm: Double?
        var likeForLikeErrorSpm: Double
    }

    struct Medians: Encodable {
        var ours: Double?
        var reference: Double?
    }

    struct Pool: Encodable {
        var name: String
        var trials: [String]
        var metrics: ValidationMetrics
    }

    init(_ report: ValidationReport) {
        dataSets = report.dataSets.map { set in
            DataSet(
                folder: set.folder, title: set.title, settings: set.settings, hasHeldOutList: set.hasHeldOutList,
                heldOutNotFound: set.heldOutNotFound, withoutReference: set.withoutReference,
                trials: set.trials.map { trial in
                    Trial(name: trial.name, heldOut: trial.isHeldOut, speedMps: trial.conditions?.speedMps,
                          treadmillSlopeDeg: trial.conditions?.treadmillSlopeDeg,
                          boutCadences: trial.boutCadences.map {
                              BoutCadence(referenceSpm: $0.referenceSpm, oursSpm: $0.detectedSpm, errorSpm: $0.errorSpm,
                                          oursLikeForLikeSpm: $0.likeForLikeSpm, likeForLikeErrorSpm: $0.likeForLikeErrorSpm)
                          },
                          medianContactTimeS: Medians(ours: trial.medianContactTimeS.detected, reference: trial.medianContactTimeS.reference),
                          medianPeakForceBW: Medians(ours: trial.medianPeakForceBW.detected, reference: trial.medianPeakForceBW.reference),
                          metrics: set.metrics(of: trial))
                },
                pools: set.pools.map { Pool(name: $0.name, trials: $0.trials.map(\.name), metrics: $0.metrics) })
        }
    }
}

extension ValidationReport {
    /// The JSON report, pretty-printed with sorted keys (stable between runs).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(ValidationDocument(self))
    }
}
