// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "prosody-doctor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "prosody-doctor", targets: ["prosody-doctor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // Lua 5.1–5.4 front end: knows nothing of Prosody.
        // The parser and the evaluator walk every token and node of a config of megabytes: no
        // dynamic exclusivity checks there either (static checking still applies).
        .target(name: "LuaSyntax", swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Prosody's configmanager semantics over the Lua AST.
        .target(name: "ProsodyConfig", dependencies: ["LuaSyntax"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // libpcre2-8 (Debian libpcre2-dev) and its thin Swift wrapper.
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        // glibc's mallopt, for the heap set-up of big checks.
        .target(name: "CMalloc"),
        // zlib (Debian zlib1g-dev) for reading rotated .gz logs.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The log hot path runs per event on gigabytes: no dynamic exclusivity checks there (they were
        // ~8% of a full analysis). Static checking still applies.
        .target(name: "ProsodyLog", dependencies: ["PCRE2", "CZlib", "Yams"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Offline JWT verification with Jitsi's token rules.
        .target(name: "JitsiToken", dependencies: [
            "ProsodyConfig",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // Readers for the files around Prosody in a Jitsi deployment (jicofo HOCON and
        // properties, config.js hosts, nginx locations, TLS certificates).
        .target(name: "DeploymentFiles", dependencies: [
            .product(name: "X509", package: "swift-certificates"),
        ]),
        // Pasted blobs: splitting config/log/prosodyctl parts, redaction and pseudonyms.
        .target(name: "PasteAnalysis", dependencies: ["Doctor", "ProsodyConfig", "DeploymentFiles"]),
        // Rule engine: the catalogue in rules/*.yml is embedded at build time.
        .executableTarget(name: "EmbedRulesTool", dependencies: ["Yams"], path: "Sources/EmbedRulesTool"),
        .plugin(name: "EmbedRules", capability: .buildTool(), dependencies: ["EmbedRulesTool"]),
        .target(name: "Doctor",
                dependencies: ["LuaSyntax", "ProsodyConfig", "ProsodyLog", "JitsiToken", "DeploymentFiles", "Yams", "PCRE2"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])],
                plugins: ["EmbedRules"]),
        .target(name: "Reporting", dependencies: ["Doctor", "ProsodyConfig", "LuaSyntax"]),
        .executableTarget(name: "prosody-doctor", dependencies: [
            "Doctor", "LuaSyntax", "CMalloc", "Reporting", "ProsodyConfig", "ProsodyLog", "JitsiToken", "DeploymentFiles", "PasteAnalysis",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LuaSyntaxTests", dependencies: ["LuaSyntax"]),
        .testTarget(name: "ProsodyConfigTests", dependencies: ["ProsodyConfig", "LuaSyntax"]),
        .testTarget(name: "ProsodyLogTests", dependencies: ["ProsodyLog", "PCRE2"]),
        .testTarget(name: "JitsiTokenTests", dependencies: ["JitsiToken",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .testTarget(name: "DoctorTests", dependencies: ["Doctor", "ProsodyConfig", "LuaSyntax", "DeploymentFiles", "PCRE2",
            .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "DeploymentFilesTests", dependencies: ["DeploymentFiles",
            .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "PasteAnalysisTests", dependencies: ["PasteAnalysis", "Doctor", "ProsodyConfig"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Doctor", "ProsodyConfig", "LuaSyntax"]),
        // The built binary, run as a user would: exit codes, bad input, files written.
        .testTarget(name: "CLITests"),
        // End-to-end: every samples/<name>/ against its expected/ outputs, in every format.
        .testTarget(name: "GoldenTests", dependencies: ["Reporting", "Doctor", "ProsodyConfig", "PasteAnalysis"]),
    ]
)
