import CLibUSB

/// What went wrong talking to a clip over USB, with the clip concerned and a message a user can act on.
public enum ClipUSBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operating system refused access to the clip's device node (LIBUSB_ERROR_ACCESS).
    case permissionDenied(device: ClipDeviceReference)
    /// The clip left the bus (LIBUSB_ERROR_NO_DEVICE, or a transfer ended with no device).
    case unplugged(device: ClipDeviceReference)
    /// A transfer did not complete within its timeout (LIBUSB_ERROR_TIMEOUT).
    case timedOut(device: ClipDeviceReference, operation: String, timeoutMs: Int)
    /// The clip halted an endpoint (LIBUSB_ERROR_PIPE); `ClipConnection.clearHalt` clears it.
    case stalled(device: ClipDeviceReference, endpoint: UInt8)
    /// Another program (or a kernel driver) holds the clip's interface (LIBUSB_ERROR_BUSY).
    case busy(device: ClipDeviceReference)
    /// The clip sent more data than the read asked for (LIBUSB_ERROR_OVERFLOW).
    case overflow(device: ClipDeviceReference, maxLength: Int)
    /// No clip (VID 0x1209, PID 0x4A17) is connected.
    case noClipFound
    /// The requested clip is not on the bus (any more).
    case clipNotFound(serialNumber: String?, busNumber: UInt8?, address: UInt8?)
    /// The connection was closed by this program before the operation.
    case closed(device: ClipDeviceReference)
    /// Any other libusb failure, with libusb's error name.
    case libusb(device: ClipDeviceReference?, operation: String, code: Int32, name: String)

    /// Maps a negative libusb return code to an error for `device`. `operation` reads like
    /// "read from bulk IN 0x81"; `timeoutMs` is the timeout the operation was given.
    public static func from(libusbCode code: Int32, device: ClipDeviceReference?, operation: String,
                            endpoint: UInt8? = nil, timeoutMs: Int = 0, maxLength: Int = 0) -> ClipUSBError {
        guard let device else {
            return .libusb(device: nil, operation: operation, code: code, name: libusbErrorName(code))
        }
        switch code {
        case LIBUSB_ERROR_ACCESS.rawValue: return .permissionDenied(device: device)
        case LIBUSB_ERROR_NO_DEVICE.rawValue: return .unplugged(device: device)
        case LIBUSB_ERROR_TIMEOUT.rawValue: return .timedOut(device: device, operation: operation, timeoutMs: timeoutMs)
        case LIBUSB_ERROR_PIPE.rawValue: return .stalled(device: device, endpoint: endpoint ?? 0)
        case LIBUSB_ERROR_BUSY.rawValue: return .busy(device: device)
        case LIBUSB_ERROR_OVERFLOW.rawValue: return .overflow(device: device, maxLength: maxLength)
        default: return .libusb(device: device, operation: operation, code: code, name: libusbErrorName(code))
        }
    }

    /// The clip the error is about, when there is one.
    public var device: ClipDeviceReference? {
        switch self {
        case .permissionDenied(let device), .unplugged(let device), .busy(let device), .closed(let device):
            return device
        case .timedOut(let device, _, _), .stalled(let device, _), .overflow(let device, _):
            return device
        case .libusb(let device, _, _, _):
            return device
        case .noClipFound, .clipNotFound:
            return nil
        }
    }

    /// One line for the user: the clip, what happened and, where there is one, what to do.
    public var description: String {
        switch self {
        case .permissionDenied(let device):
            return "\(device): permission denied: install the udev rule \(ClipUSBIdentifiers.udevRulePath) "
                + "(sudo cp \(ClipUSBIdentifiers.udevRulePath) /etc/udev/rules.d/ && sudo udevadm control --reload-rules, "
                + "then unplug and replug the clip)"
        case .unplugged(let device):
            return "\(device): the clip was unplugged"
        case .timedOut(let device, let operation, let timeoutMs):
            return "\(device): \(operation) timed out after \(timeoutMs) ms"
        case .stalled(let device, let endpoint):
            return "\(device): endpoint \(hexByte(endpoint)) stalled (the clip refused the transfer; clear the halt and retry)"
        case .busy(let device):
            return "\(device): the clip is in use by another program (is gaitd running?)"
        case .overflow(let device, let maxLength):
            return "\(device): the clip sent more than the \(maxLength) bytes asked for"
        case .noClipFound:
            return "no clip found (VID 0x1209, PID 0x4A17): is it plugged in?"
        case .clipNotFound(let serialNumber, let busNumber, let address):
            if let serialNumber { return "clip \(serialNumber) is not connected" }
            if let busNumber, let address { return "no clip at bus \(busNumber), address \(address)" }
            return "the clip is not connected"
        case .closed(let device):
            return "\(device): the connection is closed"
        case .libusb(let device, let operation, let code, let name):
            let subject = device.map { "\($0): " } ?? ""
            return "\(subject)\(operation) failed: \(name) (libusb error \(code))"
        }
    }
}

func libusbErrorName(_ code: Int32) -> String {
    guard let name = libusb_error_name(code) else { return "LIBUSB_ERROR \(code)" }
    return String(cString: name)
}

func hexByte(_ value: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return "0x" + String(digits[Int(value >> 4)]) + String(digits[Int(value & 0xF)])
}
