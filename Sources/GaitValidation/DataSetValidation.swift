import Foundation
import GaitDSP
import SessionIO

/// The validation of one folder: every recording with a reference analysed and scored, the
/// recordings without one listed, and the pools (development, held-out, all) scored.
public struct DataSetValidation: Sendable {
    /// The folder, as given.
    public var folder: String
    /// What the data set is (its README's first heading), if the folder says.
    public var title: String?
    /// The choices the scores were computed with.
    public var settings: ValidationSettings
    /// One per recording with a reference, by name.
    public var trials: [TrialEvidence]
    /// Recordings listed but not scored.
    public var withoutReference: [ValidationFolder.UnreferencedRecording]
    /// Whether the folder has a `held-out.txt`.
    public var hasHeldOutList: Bool
    /// Names in `held-out.txt` that match no recording with a reference.
    public var heldOutNotFound: [String]

    /// A pool of trials and its metrics.
    public struct Pool: Sendable {
        /// "development", "held-out" or "all".
        public var name: String
        /// The trials in it.
        public var trials: [TrialEvidence]
        /// Their pooled metrics.
        public var metrics: ValidationMetrics
    }

    /// Analyses every recording of `folder` with the default engine configuration and scores it.
    public init(folder: ValidationFolder, settings: ValidationSettings = ValidationSettings()) throws(GaitValidationError) {
        self.folder = folder.path
        title = folder.title
        self.settings = settings
        withoutReference = folder.withoutReference
        hasHeldOutList = folder.heldOut != nil
        heldOutNotFound = (folder.heldOut?.names ?? []).filter { name in !folder.recordings.contains { $0.name == name } }
        var trials: [TrialEvidence] = []
        for recording in folder.recordings {
            let heldOut = folder.heldOut?.contains(recording.name) ?? false
            if heldOut && settings.developmentOnly { continue }
            let analysis: GaitAnalysis
            do {
                analysis = try SessionFileAnalyzer.analyze(path: recording.recordingPath)
            } catch {
                throw .analysisFailed(error)
            }
            trials.append(TrialEvidence(name: recording.name, steps: analysis.steps, reference: recording.reference,
                                        isHeldOut: heldOut, settings: settings))
        }
        guard !trials.isEmpty else { throw .onlyHeldOutRecordings(folder: folder.path) }
        self.trials = trials
    }

    /// Scans and validates the folder at `path`.
    public static func run(path: String, settings: ValidationSettings = ValidationSettings()) throws(GaitValidationError) -> DataSetValidation {
        try DataSetValidation(folder: ValidationFolder.scan(path: path), settings: settings)
    }

    /// The pools to report: development and held-out (each when it has trials) and all, or only
    /// all when the folder holds nothing back.
    public var pools: [Pool] {
        var pools: [Pool] = []
        if hasHeldOutList {
            let development = trials.filter { !$0.isHeldOut }, heldOut = trials.filter(\.isHeldOut)
            if !development.isEmpty { pools.append(pool("development", development)) }
            if !heldOut.isEmpty { pools.append(pool("held-out", heldOut)) }
        }
        pools.append(pool("all", trials))
        return pools
    }

    /// The metrics of one trial alone.
    public func metrics(of trial: TrialEvidence) -> ValidationMetrics {
        ValidationMetrics(trials: [trial], settings: settings)
    }

    private func pool(_ name: String, _ trials: [TrialEvidence]) -> Pool {
        Pool(name: name, trials: trials, metrics: ValidationMetrics(trials: trials, settings: settings))
    }

    /// The folder's last path component, a short name for the data set.
    public var shortName: String { URL(fileURLWithPath: folder).lastPathComponent }
}
