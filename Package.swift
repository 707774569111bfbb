// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "logscan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "logscan", targets: ["logscan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // HMAC-SHA256 for --redact-salt pseudonyms.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C edges: system libraries from Debian's libpcre2-dev and libarchive-dev.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]
        ),
        // glibc's mallopt, for the CLI's start-up (header only, nothing to link).
        .systemLibrary(name: "CMalloc"),
        // The only Swift that touches PCRE2.
        .target(name: "LogscanPCRE2", dependencies: ["CPCRE2"]),
        // Byte sources, archives, follow, line reading.
        .target(name: "LogscanInput", dependencies: ["CArchive"]),
        // Time values (instants, durations, wall clocks) and small concurrency helpers.
        .target(name: "LogscanSupport"),
        // The literal prefilter: which lines can match any rule at all. No logscan dependencies.
        .target(name: "LogscanPrefilter"),
        // The rule model: YAML loading and validation, literal extraction, the error-code catalog.
        .target(
            name: "LogscanRules",
            dependencies: [
                "LogscanSupport", "LogscanPrefilter", "LogscanPCRE2", "LogscanInput",
                .product(name: "Yams", package: "Yams"),
            ],
            plugins: ["EmbedPatterns"]
        ),
        // Scanning: formats, detection, time parsing, file scanning and splitting, record storage.
        .target(
            name: "LogscanScan",
            dependencies: ["LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanPCRE2", "LogscanInput"]
        ),
        // Diagnosis: time resolution, the timeline, the classifier, bundle analysis, live sessions.
        .target(
            name: "LogscanDiagnosis",
            dependencies: ["LogscanSupport", "LogscanRules", "LogscanScan", "LogscanPCRE2", "LogscanInput"]
        ),
        // Reports; HTML and Markdown are rendered from Mustache templates (escaping by construction).
        // --redact uses PCRE2 to find values, Yams for its data file, swift-crypto for HMAC.
        .target(name: "LogscanReport", dependencies: [
            "LogscanSupport", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanPCRE2",
            .product(name: "Mustache", package: "swift-mustache"), .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto")]),
        // `logscan collect`: the sources it reads, copying them into a zip or a directory.
        .target(name: "LogscanCollect", dependencies: ["LogscanDiagnosis", "LogscanScan", "LogscanRules", "LogscanInput"]),
        .executableTarget(
            name: "logscan",
            dependencies: [
                "LogscanSupport", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanReport", "LogscanInput",
                "LogscanCollect", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Build-time tool: turns Patterns/**/*.yml into Swift source so the built-in rules
        // travel inside the binary (a copied release binary still has them).
        .executableTarget(name: "embed-patterns", path: "Sources/embed-patterns"),
        .plugin(
            name: "EmbedPatterns",
            capability: .buildTool(),
            dependencies: ["embed-patterns"]
        ),
        // Shared by the test targets: the seeded random source of the randomized tests, rule sets
        // from YAML snippets.
        .target(name: "TestSupport", dependencies: ["LogscanRules"], path: "Tests/TestSupport"),
        .testTarget(name: "LogscanPCRE2Tests", dependencies: ["LogscanPCRE2"]),
        .testTarget(name: "LogscanInputTests", dependencies: ["LogscanInput", "TestSupport"]),
        .testTarget(name: "LogscanSupportTests", dependencies: ["LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanInput", "TestSupport"]),
        .testTarget(name: "LogscanRulesTests", dependencies: ["LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanInput", "TestSupport"]),
        .testTarget(name: "LogscanScanTests", dependencies: ["LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanInput", "TestSupport"]),
        .testTarget(name: "LogscanDiagnosisTests", dependencies: ["LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanInput", "TestSupport"]),
        .testTarget(name: "LogscanCollectTests", dependencies: ["LogscanCollect", "LogscanDiagnosis", "LogscanScan", "LogscanRules", "LogscanInput"]),
        .testTarget(name: "LogscanReportTests", dependencies: [
            "LogscanReport", "LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanInput",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["logscan", "LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanPCRE2",
                 .product(name: "Yams", package: "Yams")],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, only when scripts/fuzz builds them (LOGSCAN_FUZZ=1): libFuzzer supplies the
// binary's main, so this target cannot be part of an ordinary build. The libraries it reaches are
// instrumented for coverage and AddressSanitizer; the build tool (embed-patterns) is left alone.
if ProcessInfo.processInfo.environment["LOGSCAN_FUZZ"] == "1" {
    let sanitize: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
    for target in package.targets where ["LogscanPCRE2", "LogscanInput", "LogscanSupport", "LogscanPrefilter", "LogscanRules", "LogscanScan", "LogscanDiagnosis"]
        .contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + sanitize
    }
    package.targets.append(.executableTarget(
        name: "logscan-fuzz", dependencies: ["LogscanRules", "LogscanScan", "LogscanDiagnosis", "LogscanInput"], path: "Sources/logscan-fuzz",
        swiftSettings: sanitize + [.unsafeFlags(["-parse-as-library"])],
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
    ))
}
