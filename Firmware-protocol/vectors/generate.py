#!/usr/bin/env python3
"""Reference encoder for the Backstride clip protocol test vectors.

Written from PROTOCOL.md alone, independently of the Swift code, so that the Swift tests (which
decode every vector and re-encode it byte for byte) check the code against the document.
Run from this directory: python3 generate.py  (writes *.hex and index.json; deterministic).
"""
import json
import struct

def crc32c(data: bytes) -> int:
    """CRC-32C: reflected poly 0x82F63B78, init and final XOR 0xFFFFFFFF (bitwise, for clarity)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF

assert crc32c(b"123456789") == 0xE3069283

def frame(ftype: int, seq: int, payload: bytes) -> bytes:
    header = b"BS" + struct.pack("<BBHH", ftype, 0, seq, len(payload))
    header += struct.pack("<I", crc32c(header))
    return header + payload + struct.pack("<I", crc32c(payload) if payload else 0)

def block(body: bytes) -> bytes:
    assert len(body) <= 508
    body = body + bytes(508 - len(body))
    return body + struct.pack("<I", crc32c(body))

SERIAL = b"BSC-000123"
ACCEL_SCALE = 1.0 / 2048          # g per count at +-16 g
GYRO_SCALE = 0.07                 # deg/s per count at +-2000 deg/s (stored as float32)

def clock_payload(ticks, rate, is_set, utc0, drift):
    return struct.pack("<QIHHqi", ticks, rate, 1 if is_set else 0, 0, utc0, drift)

def session_entry(sid, crc, utc, ticks, length, samples, rate_mhz, flags):
    return struct.pack("<IIqQIIIHH", sid, crc, utc, ticks, length, samples, rate_mhz, flags, 0)

def samples_bytes(samples, gyro):
    out = b""
    for s in samples:
        out += struct.pack("<3h", *s[:3])
        if gyro:
            out += struct.pack("<3h", *s[3:])
    return out

def header_block(sid, gyro, fw_bcd, rate_mhz, start_ticks, start_utc, serial):
    body = struct.pack("<IIIHHHBBHHIIQqff", 0x48535342, 0, sid, 1, 512, 1 if gyro else 0, 16, 0, 2000, fw_bcd,
                       rate_mhz, 1_000_000, start_ticks, start_utc, ACCEL_SCALE, GYRO_SCALE if gyro else 0.0)
    body += serial + bytes(32 - len(serial))
    return block(body)

def data_block(seq, sid, first_index, first_ticks, gyro, samples):
    body = struct.pack("<IIIIQHH", 0x44535342, seq, sid, first_index, first_ticks, len(samples), 1 if gyro else 0)
    return block(body + samples_bytes(samples, gyro))

BLOCK_SAMPLES = [(12, -40, 2048, 143, -7, 0), (35, -22, 2301, 160, -3, 1), (-8, 5, 6144, 171, 2, -1)]
HEADER = header_block(41, True, 0x0102, 100_000, 120_000_000_000, 1_764_058_800_000_000, SERIAL)
DATA1 = data_block(1, 41, 0, 120_000_000_000, True, BLOCK_SAMPLES)
DATA2_FULL = data_block(2, 41, 3, 120_000_030_000, True, BLOCK_SAMPLES)
DATA2_PARTIAL = DATA2_FULL[:100] + b"\xff" * 412   # power lost after 100 bytes were programmed

vectors = []
def add(name, kind, data, description, **fields):
    vectors.append(dict(name=name, file=name + ".hex", kind=kind, description=description, length=len(data), **fields))
    with open(name + ".hex", "w") as f:
        for i in range(0, len(data), 16):
            f.write(" ".join(f"{b:02x}" for b in data[i:i + 16]) + "\n")

def add_frame(name, direction, ftype, seq, payload, description):
    add(name, direction, frame(ftype, seq, payload), description, type=f"0x{ftype:02X}", sequence=seq)

add_frame("hello-request", "request", 0x01, 1, struct.pack("<HH", 1, 2), "HELLO: host speaks versions 1...2")
add_frame("hello-reply", "response", 0x81, 1, struct.pack("<HHHH", 2, 1, 2, 4104), "HELLO_REPLY: version 2 chosen; clip speaks 1...2; max payload 4104")
add_frame("hello-reply-v1", "response", 0x81, 1, struct.pack("<HHHH", 1, 1, 1, 4104), "HELLO_REPLY from an older clip: version 1 (no streaming)")
add_frame("get-info-request", "request", 0x02, 2, b"", "GET_INFO (empty payload, payload CRC 0)")
info = bytes([len(SERIAL)]) + SERIAL + struct.pack("<BBBBBBHffIBBHIIHH", 1, 2, 0, 3, 16, 0, 2000, ACCEL_SCALE, GYRO_SCALE,
                                                  100_000, 87, 0, 3987, 8_388_608, 1_048_576, 2, 0x0002)
add_frame("info-response", "response", 0x82, 2, info,
          "INFO: serial BSC-000123, firmware 1.2.0, hardware 3, +-16 g, +-2000 deg/s, 100 Hz, 87 %, 3987 mV, 1 MiB of 8 MiB used, 2 sessions, gyroscope fitted")
add_frame("get-clock-request", "request", 0x03, 3, b"", "GET_CLOCK")
add_frame("clock-response", "response", 0x83, 3, clock_payload(123_456_789_012, 1_000_000, True, 1_764_000_000_000_000, -1500),
          "CLOCK: 123456789012 ticks at 1 MHz, UTC set, tick 0 = 1764000000000000 us, drift -1500 ppb")
add_frame("set-clock-request", "request", 0x04, 4, struct.pack("<qi", 1_764_061_200_000_000, -1500),
          "SET_CLOCK: UTC now 1764061200000000 us, drift correction -1500 ppb")
add_frame("clock-set-response", "response", 0x84, 4, clock_payload(123_456_790_000, 1_000_000, True, 1_763_937_743_395_185, -1500),
          "CLOCK_SET: the clock right after that SET_CLOCK at tick 123456790000 (tick 0 = UTC now - ticks x (1 + ppb e-9))")
add_frame("list-sessions-request", "request", 0x05, 5, struct.pack("<HH", 0, 100), "LIST_SESSIONS from index 0, at most 100")
entries = (session_entry(41, 0x89ABCDEF, 1_764_058_800_000_000, 120_000_000_000, 20_480, 1_560, 100_000, 0x0001)
           + session_entry(42, 0x01234567, -(2**63), 130_000_000_000, 1_536, 43, 100_000, 0x0003))
add_frame("session-list-response", "response", 0x85, 5, struct.pack("<HHHH", 2, 0, 2, 0) + entries,
          "SESSION_LIST: 2 of 2; session 41 complete with gyroscope; session 42 incomplete (power loss), clock not set")
add_frame("read-session-request", "request", 0x06, 6, struct.pack("<III", 41, 4096, 4096), "READ_SESSION 41 bytes 4096..8191")
add_frame("session-data-response", "response", 0x86, 6, struct.pack("<II", 41, 4096) + bytes(range(16)),
          "SESSION_DATA: 16 bytes of session 41 at offset 4096 (the last bytes of a session)")
add_frame("stream-start-request", "request", 0x07, 7, struct.pack("<IH", 0, 1), "STREAM_START at the clip's rate with gyroscope")
add_frame("stream-started-response", "response", 0x87, 7, struct.pack("<IHHffQ", 100_000, 1, 0, ACCEL_SCALE, GYRO_SCALE, 123_460_000_000),
          "STREAM_STARTED: 100 Hz with gyroscope, scales, first sample at tick 123460000000")
stream_samples = [(0, 0, 2048, 0, 0, 0), (-2048, 1024, 4096, -714, 714, 32767)]
add_frame("stream-data", "response", 0x70, 0, struct.pack("<QIHH", 123_460_000_000, 0, 2, 1) + samples_bytes(stream_samples, True),
          "STREAM_DATA frame 0: 2 samples with gyroscope")
add_frame("stream-stop-request", "request", 0x08, 8, b"", "STREAM_STOP")
add_frame("stream-stopped-response", "response", 0x88, 8, struct.pack("<II", 10, 200), "STREAM_STOPPED: 10 frames, 200 samples")
add_frame("ack-erase-request", "request", 0x09, 9, struct.pack("<II", 41, 0x89ABCDEF), "ACK_ERASE session 41 with its checksum")
add_frame("erased-response", "response", 0x89, 9, struct.pack("<II", 41, 20_480), "ERASED: session 41, 20480 bytes freed")
add_frame("error-unknown-command", "response", 0xFF, 10, struct.pack("<BBHI", 0x3E, 0x01, 0, 0), "ERROR: request type 0x3E is unknown")
add_frame("error-checksum-mismatch", "response", 0xFF, 9, struct.pack("<BBHI", 0x09, 0x06, 0, 0x89ABCDEF),
          "ERROR for ACK_ERASE: checksum mismatch; detail = the session's real checksum")
add_frame("error-no-common-version", "response", 0xFF, 1, struct.pack("<BBHI", 0x01, 0x04, 0, 0x00010002),
          "ERROR for HELLO: no common version; clip speaks 1...2")
add("session-header-block", "header-block", HEADER,
    "Header block of session 41: gyroscope, +-16 g, +-2000 deg/s, firmware 1.2, 100 Hz, 1 MHz ticks, start tick 120000000000, UTC 1764058800000000 us, serial BSC-000123")
add("session-data-block", "data-block", DATA1, "Data block 1 of session 41: 3 samples with gyroscope from sample 0 at tick 120000000000")
add("session-data-block-accel-only", "data-block",
    data_block(1, 42, 0, 130_000_000_000, False, [(1, 2, 2048, 0, 0, 0), (-1, -2, 2047, 0, 0, 0)]),
    "Data block 1 of session 42: 2 accelerometer-only samples")
add("session-data-block-power-loss", "bad-block", DATA2_PARTIAL,
    "Data block 2 of session 41 cut by power loss: 100 bytes programmed, the rest (CRC included) still erased 0xFF", programmedBytes=100)
add("session-power-loss", "session", HEADER + DATA1 + DATA2_PARTIAL,
    "Session 41 after power loss: header, one good data block (3 samples), block 2 partially written; incomplete, 3 samples kept", goodSamples=3, badBlock=2)

with open("index.json", "w") as f:
    json.dump(dict(
        format="Each .hex file is the vector's bytes as lowercase hex pairs separated by spaces, 16 per line.",
        crc32cCheck=dict(input="123456789", value="0xE3069283"),
        vectors=vectors), f, indent=2)
    f.write("\n")
print(f"wrote {len(vectors)} vectors")
