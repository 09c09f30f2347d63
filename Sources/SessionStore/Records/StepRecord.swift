import Foundation
import GaitDSP
import GRDB

/// One step's metrics (table `step`), the columns of `GaitStep` with its session and position.
public struct StepRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "step"
    public var sessionId: Int64
    /// 0-based position of the step in the session.
    public var stepIndex: Int
    public var initialContactS: Double
    public var side: FootSide?
    public var sideConfidence: Float
    public var activity: ActivityKind
    public var stepTimeS: Float?
    public var impactPeakG: Float
    public var loadingRateGPerS: Float?
    public var brakingPeakG: Float
    public var brakingVelocityLossMPS: Float
    public var groundContactTimeS: Float?
    public var verticalOscillationCm: Float?
    public var pelvisTiltDeg: Float
    public var pelvicRotationDeg: Float?
    public var pelvicObliquityDeg: Float?

    /// The row of `step` in `session`.
    public init(sessionId: Int64, stepIndex: Int, step: GaitStep) {
        self.sessionId = sessionId
        self.stepIndex = stepIndex
        initialContactS = step.initialContactS
        side = step.side
        sideConfidence = step.sideConfidence
        activity = step.activity
        stepTimeS = step.stepTimeS
        impactPeakG = step.impactPeakG
        loadingRateGPerS = step.loadingRateGPerS
        brakingPeakG = step.brakingPeakG
        brakingVelocityLossMPS = step.brakingVelocityLossMPS
        groundContactTimeS = step.groundContactTimeS
        verticalOscillationCm = step.verticalOscillationCm
        pelvisTiltDeg = step.pelvisTiltDeg
        pelvicRotationDeg = step.pelvicRotationDeg
        pelvicObliquityDeg = step.pelvicObliquityDeg
    }

    /// The step as the analysis has it.
    public var step: GaitStep {
        var step = Self.blankStep
        step.initialContactS = initialContactS
        step.side = side
        step.sideConfidence = sideConfidence
        step.activity = activity
        step.stepTimeS = stepTimeS
        step.impactPeakG = impactPeakG
        step.loadingRateGPerS = loadingRateGPerS
        step.brakingPeakG = brakingPeakG
        step.brakingVelocityLossMPS = brakingVelocityLossMPS
        step.groundContactTimeS = groundContactTimeS
        step.verticalOscillationCm = verticalOscillationCm
        step.pelvisTiltDeg = pelvisTiltDeg
        step.pelvicRotationDeg = pelvicRotationDeg
        step.pelvicObliquityDeg = pelvicObliquityDeg
        return step
    }

    /// A step to overwrite field by field: `GaitStep` has no public initialiser, only `Decodable`.
    static let blankStep: GaitStep = {
        let json = #"{"t_s":0,"side_confidence":0,"activity":"running","impact_peak_g":0,"braking_peak_g":0,"braking_velocity_loss_mps":0,"pelvis_tilt_deg":0}"#
        do {
            return try JSONDecoder().decode(GaitStep.self, from: Data(json.utf8))
        } catch {
            fatalError("GaitStep's JSON keys changed: \(error)")
        }
    }()
}
