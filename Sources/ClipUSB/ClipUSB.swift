import CLibUSB
import ClipProtocol
/// Placeholder (issue 3): the libusb transport.
enum ClipUSBPlaceholder {}
