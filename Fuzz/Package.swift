// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the parsers that read bytes from outside: CSV sessions (read and
// analysed), the clip's `.bsession` files, USB frames, and watch files (FIT, GPX, TCX). The modules
// are the main package's own files (symbolic links). `make fuzz` builds them with
// `--sanitize fuzzer --sanitize address` and runs each for FUZZ_SECONDS from the seed corpora in
// `Fuzz/Corpus`; `fuzz-seeds` (a plain executable) writes the `.bsession` seeds.
let fuzzTarget: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "BackstrideFuzz",
    targets: [
        .target(name: "GaitDSP", path: "Sources/GaitDSP"),
        .target(name: "ClipProtocol", path: "Sources/ClipProtocol"),
        .target(name: "SessionIO", dependencies: ["GaitDSP", "ClipProtocol"], path: "Sources/SessionIO"),
        .executableTarget(name: "FuzzCSV", dependencies: ["SessionIO", "GaitDSP"], path: "Sources/FuzzCSV", swiftSettings: fuzzTarget),
        .executableTarget(name: "FuzzClipSession", dependencies: ["SessionIO", "ClipProtocol", "GaitDSP"], path: "Sources/FuzzClipSession", swiftSettings: fuzzTarget),
        .executableTarget(name: "FuzzFrames", dependencies: ["ClipProtocol"], path: "Sources/FuzzFrames", swiftSettings: fuzzTarget),
        .executableTarget(name: "FuzzWatch", dependencies: ["SessionIO"], path: "Sources/FuzzWatch", swiftSettings: fuzzTarget),
        .executableTarget(name: "fuzz-seeds", dependencies: ["ClipProtocol"], path: "Sources/FuzzSeeds"),
    ]
)
