// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

let package = Package(
    name: "ruralstat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ruralstat", targets: ["ruralstat"]),
        .executable(name: "ruralstat-bench", targets: ["RuralStatBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries, each reached only through the Swift layer in `XLSX`.
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]
        ),
        // libcurl's SMTP: mail leaves through a well-kept client (STARTTLS, TLS, AUTH).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The rooms, lowest first (Sources/LAYERS; Sources/README.md says what each owns).
        // Cell addresses and values: what a worksheet holds, shared by the reader and the core.
        .target(name: "CellModel"),
        .target(name: "XLSX", dependencies: ["CellModel", "CXlsxWriter", "CZip"], exclude: ["Reader/README.md"]),
        .target(name: "RuralStatCore", dependencies: ["CellModel", "Yams"]),
        // Durable writes, the service lock, SHA-256, archive names, parallel map: no domain.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .target(name: "RuralStatFiles", dependencies: ["CLinux"]),
        .target(name: "RuralStatStore", dependencies: [
            "RuralStatCore", "CellModel", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "RuralStatRender", dependencies: ["RuralStatCore", "XLSX", "CellModel"]),
        // Mail transport: messages, the outbox, SMTP through libcurl. Who gets what is the daemon's.
        .target(name: "RuralStatMail", dependencies: ["RuralStatFiles", "CCurl"]),
        .target(name: "RuralStatConfig", dependencies: ["RuralStatCore", "RuralStatFiles", "RuralStatMail", "XLSX", "Yams"]),
        // A workbook read and checked against the form and the store's history.
        .target(name: "RuralStatReading", dependencies: [
            "RuralStatCore", "RuralStatConfig", "RuralStatStore", "XLSX", "CellModel",
        ]),
        // A period's figures from the store, its reports published, its export.
        .target(name: "RuralStatPublishing", dependencies: [
            "RuralStatCore", "RuralStatConfig", "RuralStatStore", "RuralStatRender", "RuralStatFiles", "RuralStatMail", "CellModel",
        ]),
        .target(name: "RuralStatAdmin", dependencies: [
            "RuralStatCore", "RuralStatConfig", "RuralStatStore", "RuralStatFiles", "RuralStatReading", "RuralStatPublishing", "XLSX",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "RuralStatDaemon", dependencies: [
            "RuralStatCore", "RuralStatStore", "RuralStatRender", "RuralStatFiles", "RuralStatMail", "RuralStatConfig",
            "RuralStatReading", "RuralStatPublishing", "XLSX", "CellModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The demo province: its communes and their generated figures. Production code never imports it.
        .target(name: "RuralStatDemo", dependencies: [
            "RuralStatCore", "RuralStatConfig", "RuralStatStore", "RuralStatRender", "RuralStatPublishing", "CellModel",
        ]),
        .executableTarget(name: "ruralstat", dependencies: [
            "RuralStatDaemon", "RuralStatAdmin", "RuralStatDemo", "RuralStatPublishing", "RuralStatReading", "RuralStatConfig",
            "RuralStatMail", "RuralStatFiles", "RuralStatCore", "RuralStatStore", "RuralStatRender", "XLSX", "CellModel", "Yams",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Measurements for `make bench`; not installed.
        .executableTarget(name: "RuralStatBench", dependencies: [
            "XLSX", "CellModel", "RuralStatCore", "RuralStatStore", "RuralStatRender", "RuralStatFiles", "RuralStatConfig",
            "RuralStatReading", "RuralStatPublishing", "RuralStatDemo",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test set-up shared by the test targets: temporary folders, sites made in process and by
        // the binary, the binaries' and Python's paths, the end-to-end tag.
        .target(name: "RuralStatTesting", dependencies: [
            "RuralStatCore", "RuralStatConfig", "RuralStatStore", "RuralStatRender", "RuralStatFiles", "RuralStatReading",
            "RuralStatDemo", "XLSX",
        ], path: "Tests/RuralStatTesting"),
        // A test target per library target, each using that target, the ones below it and RuralStatTesting.
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "CellModel", "RuralStatTesting"]),
        .testTarget(name: "RuralStatCoreTests", dependencies: ["RuralStatCore", "CellModel", "RuralStatTesting"]),
        .testTarget(name: "RuralStatFilesTests", dependencies: ["RuralStatFiles", "RuralStatTesting"]),
        .testTarget(name: "RuralStatStoreTests", dependencies: [
            "RuralStatStore", "RuralStatCore", "CellModel", "RuralStatTesting", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "RuralStatRenderTests", dependencies: ["RuralStatRender", "RuralStatCore", "XLSX", "CellModel", "RuralStatTesting"]),
        .testTarget(name: "RuralStatMailTests", dependencies: ["RuralStatMail", "RuralStatFiles", "RuralStatTesting"]),
        .testTarget(name: "RuralStatConfigTests", dependencies: ["RuralStatConfig", "RuralStatCore", "XLSX", "RuralStatTesting"]),
        .testTarget(name: "RuralStatReadingTests", dependencies: [
            "RuralStatReading", "RuralStatConfig", "RuralStatStore", "RuralStatRender", "RuralStatCore", "CellModel", "RuralStatTesting",
        ]),
        .testTarget(name: "RuralStatPublishingTests", dependencies: [
            "RuralStatPublishing", "RuralStatConfig", "RuralStatStore", "RuralStatCore", "RuralStatTesting",
        ]),
        .testTarget(name: "RuralStatAdminTests", dependencies: [
            "RuralStatAdmin", "RuralStatPublishing", "RuralStatConfig", "RuralStatStore", "RuralStatFiles", "RuralStatTesting",
        ]),
        .testTarget(name: "RuralStatDaemonTests", dependencies: [
            "RuralStatDaemon", "RuralStatPublishing", "RuralStatConfig", "RuralStatStore", "RuralStatRender", "RuralStatFiles", "RuralStatMail",
            "RuralStatCore", "CellModel", "RuralStatTesting", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RuralStatDemoTests", dependencies: [
            "RuralStatDemo", "CellModel", "RuralStatReading", "RuralStatConfig", "RuralStatRender", "RuralStatCore", "RuralStatTesting",
        ]),
        // The built binaries run end to end (with openpyxl, LibreOffice, an SMTP server): slow, kept
        // apart (`swift test --skip EndToEndTests`; its suites carry the `endToEnd` tag).
        .testTarget(name: "EndToEndTests", dependencies: ["XLSX", "CellModel", "RuralStatTesting"], exclude: ["Support"]),
    ]
)

// Every Swift target: C types stay inside the module that imports them, and
// existentials and member imports are spelled out.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
