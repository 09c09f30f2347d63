// swift-tools-version:6.0
import PackageDescription

// Every module keeps Swift's bounds, overflow and precondition checks (-O, never -Ounchecked):
// the parsers read bytes from outside, and a bug there must stop cleanly, not corrupt memory.
let optimise: [SwiftSetting] = [.unsafeFlags(["-wmo"], .when(configuration: .release))]
// The signal modules are optimised in debug builds too: the test suite pushes hundreds of synthetic
// runs through them (the scenario suite), which unoptimised code makes ten times slower.
let optimiseAlways: [SwiftSetting] = [
    .unsafeFlags(["-wmo"], .when(configuration: .release)),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "Backstride",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gait", targets: ["gait"]),
        .library(name: "GaitDSP", targets: ["GaitDSP"]),
        .library(name: "GaitSynth", targets: ["GaitSynth"]),
        .library(name: "SessionIO", targets: ["SessionIO"]),
        .library(name: "ClipProtocol", targets: ["ClipProtocol"]),
        .library(name: "ClipUSB", targets: ["ClipUSB"]),
        .library(name: "ClipSimulator", targets: ["ClipSimulator"]),
        .library(name: "SessionStore", targets: ["SessionStore"]),
        .library(name: "GaitInference", targets: ["GaitInference"]),
        .library(name: "GaitReport", targets: ["GaitReport"]),
        .library(name: "SessionIngest", targets: ["SessionIngest"]),
        .library(name: "GaitValidation", targets: ["GaitValidation"]),
        .executable(name: "virtual-clip", targets: ["virtual-clip"]),
        .executable(name: "gaitd", targets: ["gaitd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // Already a dependency of Hummingbird; named here for NIOThreadPool (bcrypt off the cooperative pool).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        // Already a dependency of HummingbirdTLS; named here for the server's certificate checks (NIOSSLContext).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Already a dependency of postgres-nio; named here for SHA-256 (SessionStore's ContentHash).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The clinic's server store (SessionStore's PostgreSQL implementation).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // gaitd's clinic push: an HTTP/1.1 and HTTPS client with timeouts and connection pooling.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(name: "GaitDSP", swiftSettings: optimiseAlways),
        .target(name: "GaitSynth", swiftSettings: optimiseAlways),
        // Explainable flags for the back (posture, overstriding, asymmetry, shoe wear, impact, overuse,
        // late-run degradation, warm-up, pain link), personal baselines and trends.
        .target(name: "GaitInference", dependencies: ["GaitDSP"], swiftSettings: optimiseAlways),
        // The scenario suite: GaitSynth runs that must (or must not) raise each flag; used by the tests and `gait scenarios`.
        .target(name: "InferenceScenarios", dependencies: ["GaitDSP", "GaitSynth", "GaitInference"], swiftSettings: optimiseAlways),
        .target(name: "SessionIO", dependencies: ["GaitDSP", "ClipProtocol"], swiftSettings: optimise),
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CUMockdev", pkgConfig: "umockdev-1.0", providers: [.apt(["libumockdev-dev"])]),
        .target(name: "ClipProtocol", swiftSettings: optimise),
        // zlib (deflate) for the session store's compressed raw samples.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Sessions, raw samples, metrics, flags and the pain log in SQLite (GRDB) or PostgreSQL (postgres-nio),
        // behind the SessionStore protocol.
        .target(
            name: "SessionStore",
            dependencies: ["GaitDSP", "GaitInference", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: optimise
        ),
        // The one way in for every session: read and analyse outside any transaction, attribute,
        // compute flags, store whole; re-inference; work left pending by a crash.
        .target(
            name: "SessionIngest",
            dependencies: [
                "SessionIO", "GaitDSP", "GaitInference", "SessionStore", "ClipSync", "ClipProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimise
        ),
        // Session and runner reports: self-contained HTML with inline SVG plots, CSV and JSON exports.
        .target(name: "GaitReport", dependencies: ["GaitDSP", "GaitInference"], swiftSettings: optimise),
        // Accuracy against reference data (`gait validate`): reference sidecars, per-trial and pooled
        // metrics, text/JSON/Markdown/HTML reports, and the synthetic validation set.
        .target(name: "GaitValidation", dependencies: ["GaitDSP", "GaitSynth", "SessionIO", "GaitReport"], swiftSettings: optimise),
        // The web pages and JSON API gaitd serves (Hummingbird): accounts, access control, reports.
        .target(
            name: "GaitServer",
            dependencies: [
                "GaitDSP", "GaitInference", "GaitReport", "SessionStore", "SessionIngest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A runner's gaitd pushing its sessions to a clinic's server: pairing, the chunked resumable
        // upload (async-http-client), the outbox worked through with backoff.
        .target(
            name: "ClinicPush",
            dependencies: [
                "SessionStore", "SessionIngest", "SessionIO", "GaitDSP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimise
        ),
        .target(name: "ClipUSB", dependencies: ["CLibUSB", "ClipProtocol"]),
        .target(name: "ClipSimulator", dependencies: ["ClipProtocol", "GaitSynth"]),
        // Downloading sessions from a clip into the local archive: verify, store durably, then acknowledge.
        .target(name: "ClipSync", dependencies: ["ClipProtocol", "ClipUSB"]),
        // The umockdev ioctl handler that serves URBs to the real libusb; only virtual-clip links it.
        .target(name: "VirtualClipHandler", dependencies: ["CUMockdev"]),
        .executableTarget(
            name: "virtual-clip",
            dependencies: [
                "ClipSimulator", "ClipProtocol", "ClipUSB", "VirtualClipHandler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "gait",
            dependencies: [
                "GaitDSP", "GaitSynth", "SessionIO", "ClipProtocol", "ClipUSB", "ClipSync", "SessionStore", "GaitInference",
                "InferenceScenarios", "GaitReport", "GaitServer", "SessionIngest", "GaitValidation", "ClinicPush", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimise
        ),
        // The sync daemon: a ServiceGroup of the USB watcher, clip sync, analysis and inbox services.
        .executableTarget(
            name: "gaitd",
            dependencies: [
                "GaitDSP", "ClipProtocol", "ClipUSB", "ClipSync", "SessionStore", "SessionIngest", "GaitServer", "ClinicPush",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What several test targets share: product paths, child processes, synthetic runs as CSV, the
        // virtual clip server. A plain target (no Testing import), so its helpers throw instead of expecting.
        .target(
            name: "BackstrideTestSupport",
            dependencies: ["GaitDSP", "GaitSynth", "SessionIO", "ClipProtocol", "ClipSimulator"],
            path: "Tests/BackstrideTestSupport"
        ),
        .testTarget(name: "GaitDSPTests", dependencies: ["GaitDSP", "GaitSynth"]),
        .testTarget(name: "GaitSynthTests", dependencies: ["GaitSynth"]),
        .testTarget(name: "GaitInferenceTests", dependencies: ["GaitInference", "InferenceScenarios", "GaitDSP", "GaitSynth"]),
        .testTarget(name: "SessionIOTests", dependencies: ["SessionIO", "GaitDSP", "ClipProtocol"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ClipProtocolTests", dependencies: ["ClipProtocol"]),
        .testTarget(name: "SessionStoreTests", dependencies: ["SessionStore", "GaitDSP", "GaitSynth", "GaitInference", "BackstrideTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SessionIngestTests", dependencies: [
            "SessionIngest", "SessionStore", "GaitDSP", "GaitSynth", "GaitInference", "SessionIO", "ClipProtocol", "ClipSync", "BackstrideTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ClipSimulatorTests", dependencies: ["ClipSimulator", "ClipProtocol", "GaitSynth"]),
        .testTarget(name: "ClipSyncTests", dependencies: ["ClipSync", "ClipSimulator", "ClipProtocol", "GaitSynth"]),
        .testTarget(name: "ClipUSBTests", dependencies: ["ClipUSB", "ClipProtocol", "CLibUSB", "virtual-clip", "gait", "BackstrideTestSupport"]),
        .testTarget(name: "GaitdTests", dependencies: ["gaitd", "gait", "virtual-clip", "GaitDSP", "ClipProtocol", "ClipSimulator", "GaitSynth", "SessionStore", "SessionIngest", "SessionIO", "BackstrideTestSupport"]),
        .testTarget(name: "GaitReportTests", dependencies: ["GaitReport", "GaitServer", "GaitInference", "GaitDSP", "GaitSynth", "SessionStore", "SessionIngest", "SessionIO", "BackstrideTestSupport"]),
        .testTarget(name: "GaitServerTests", dependencies: [
            "GaitServer", "SessionStore", "SessionIngest", "GaitInference", "GaitSynth", "SessionIO", "GaitDSP", "BackstrideTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
        .testTarget(name: "ClinicPushTests", dependencies: [
            "ClinicPush", "GaitServer", "SessionStore", "SessionIngest", "GaitInference", "GaitSynth", "SessionIO", "GaitDSP", "BackstrideTestSupport", "gaitd", "gait",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "IntegrationTests", dependencies: ["GaitDSP", "GaitSynth", "SessionIO", "ClipProtocol", "gait", "virtual-clip", "BackstrideTestSupport"]),
        .testTarget(name: "GaitValidationTests", dependencies: ["GaitValidation", "GaitDSP", "GaitSynth", "BackstrideTestSupport"]),
    ]
)
