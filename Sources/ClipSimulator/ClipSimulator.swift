import ClipProtocol
import GaitSynth
/// Placeholder (issue 3): the clip firmware simulator.
enum ClipSimulatorPlaceholder {}
