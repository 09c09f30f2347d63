// swift-tools-version:6.0
import PackageDescription

// The parsers' malformed-input, random-bytes and dialect tests, built the way the product ships:
// release (-O, whole module, bounds and overflow checks kept). The modules and tests are the main
// package's own files (symbolic links), so nothing here can drift from them. `make test` runs it
// after the debug suite; `-enable-testing` only exports internal names to the tests.
//
// Only modules without package dependencies are here, so this builds in a minute and needs no
// network: CSV and clip-session readers (SessionIO), USB frames and session blocks (ClipProtocol),
// and the sample types they fill (GaitDSP).
let release: [SwiftSetting] = [.unsafeFlags(["-enable-testing"])]

let package = Package(
    name: "BackstrideReleaseParsers",
    targets: [
        .target(name: "GaitDSP", path: "Sources/GaitDSP", swiftSettings: release),
        .target(name: "ClipProtocol", path: "Sources/ClipProtocol", swiftSettings: release),
        .target(name: "SessionIO", dependencies: ["GaitDSP", "ClipProtocol"], path: "Sources/SessionIO", swiftSettings: release),
        .testTarget(name: "ReleaseParserTests", dependencies: ["SessionIO", "ClipProtocol", "GaitDSP"],
                    path: "Tests/ReleaseParserTests", resources: [.copy("Fixtures")]),
    ]
)
