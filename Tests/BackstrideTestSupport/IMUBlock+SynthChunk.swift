import GaitDSP
import GaitSynth

extension IMUBlock {
    /// The samples of one GaitSynth chunk (g and °/s, as the engine takes them).
    public init(_ chunk: SynthChunk) {
        self.init(timeS: chunk.timeS, accelXG: chunk.accelXG, accelYG: chunk.accelYG, accelZG: chunk.accelZG,
                  gyroXDPS: chunk.gyroXDPS, gyroYDPS: chunk.gyroYDPS, gyroZDPS: chunk.gyroZDPS)
    }
}
