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
    public var contactTimeQuality: Float?
    public var peakVerticalForceBW: Float?

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
        contactTimeQuality = step.contactTimeQuality
        peakVerticalForceBW = step.peakVerticalForceBW
    }

    /// The step as the analysis has it.
    public var step: GaitStep {
        GaitStep(
            initialContactS: initialContactS, side: side, sideConfidence: sideConfidence, activity: activity,
            stepTimeS: stepTimeS, impactPeakG: impactPeakG, loadingRateGPerS: loadingRateGPerS,
            brakingPeakG: brakingPeakG, brakingVelocityLossMPS: brakingVelocityLossMPS,
            groundContactTimeS: groundContactTimeS, finalContactS: groundContactTimeS.map { initialContactS + Double($0) },
            contactTimeQuality: contactTimeQuality, peakVerticalForceBW: peakVerticalForceBW, verticalOscillationCm: verticalOscillationCm,
            pelvisTiltDeg: pelvisTiltDeg, pelvicRotationDeg: pelvicRotationDeg, pelvicObliquityDeg: pelvicObliquityDeg)
    }
}
