import CLibUSB
import ClipUSB
import Testing

/// libusb error codes become errors that name the clip and tell the user what to do.
@Suite("ClipUSBError messages")
struct ClipUSBErrorTests {
    let clip = ClipDeviceReference(serialNumber: "BSC-0001", busNumber: 3, address: 7)

    @Test("LIBUSB_ERROR_ACCESS asks for the udev rule")
    func permissionDenied() {
        let error = ClipUSBError.from(libusbCode: LIBUSB_ERROR_ACCESS.rawValue, device: clip, operation: "opening the clip")
        #expect(error == .permissionDenied(device: clip))
        #expect(error.description.hasPrefix(
            "clip BSC-0001 (bus 3, address 7): permission denied: install the udev rule Firmware-protocol/70-backstride-clip.rules"))
    }

    @Test("no device, timeout and pipe map to unplugged, timed out and stalled",
          arguments: [
            (LIBUSB_ERROR_NO_DEVICE.rawValue, "clip BSC-0001 (bus 3, address 7): the clip was unplugged"),
            (LIBUSB_ERROR_TIMEOUT.rawValue, "clip BSC-0001 (bus 3, address 7): reading from bulk IN 0x81 timed out after 1500 ms"),
            (LIBUSB_ERROR_PIPE.rawValue, "clip BSC-0001 (bus 3, address 7): endpoint 0x81 stalled (the clip refused the transfer; clear the halt and retry)"),
          ])
    func mapsTransferErrors(code: Int32, message: String) {
        let error = ClipUSBError.from(libusbCode: code, device: clip, operation: "reading from bulk IN 0x81",
                                      endpoint: 0x81, timeoutMs: 1500)
        #expect(error.description == message)
        #expect(error.device == clip)
    }

    @Test("a clip without a readable serial is named by bus and address")
    func unnamedClip() {
        let error = ClipUSBError.unplugged(device: ClipDeviceReference(serialNumber: nil, busNumber: 1, address: 9))
        #expect(error.description == "the clip at bus 1, address 9: the clip was unplugged")
    }

    @Test("other libusb errors keep libusb's name and code")
    func otherErrors() {
        let error = ClipUSBError.from(libusbCode: LIBUSB_ERROR_IO.rawValue, device: clip, operation: "claiming interface 0")
        #expect(error.description == "clip BSC-0001 (bus 3, address 7): claiming interface 0 failed: LIBUSB_ERROR_IO (libusb error -1)")
    }

    @Test("the firmware version reads from the BCD release number", arguments: [
        (UInt16(0x0100), "1.00"), (0x0102, "1.02"), (0x1234, "12.34"), (0x0010, "0.10"),
    ])
    func firmwareVersion(bcd: UInt16, text: String) {
        #expect(ClipDeviceInfo(busNumber: 1, address: 2, serialNumber: nil, firmwareBCD: bcd).firmwareVersion == text)
    }
}
