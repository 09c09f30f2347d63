import ClipSimulator
import Testing
