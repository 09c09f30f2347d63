import ClipProtocol
import Testing
