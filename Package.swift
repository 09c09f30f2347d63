// swift-tools-version:6.0
import PackageDescription

let optimise: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Backstride",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gait", targets: ["gait"]),
        .library(name: "GaitDSP", targets: ["GaitDSP"]),
        .library(name: "GaitSynth", targets: ["GaitSynth"]),
        .library(name: "SessionIO", targets: ["SessionIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "GaitDSP", swiftSettings: optimise),
        .target(name: "GaitSynth", swiftSettings: optimise),
        .target(name: "SessionIO", dependencies: ["GaitDSP"], swiftSettings: optimise),
        .executableTarget(
            name: "gait",
            dependencies: [
                "GaitDSP", "GaitSynth", "SessionIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimise
        ),
        .testTarget(name: "GaitDSPTests", dependencies: ["GaitDSP", "GaitSynth"]),
        .testTarget(name: "GaitSynthTests", dependencies: ["GaitSynth"]),
        .testTarget(name: "SessionIOTests", dependencies: ["SessionIO", "GaitDSP"], resources: [.copy("Fixtures")]),
        .testTarget(name: "IntegrationTests", dependencies: ["GaitDSP", "GaitSynth", "SessionIO", "gait"]),
    ]
)
