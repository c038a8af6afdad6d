// swift-tools-version: 6.1
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
        // Cell addresses and values: what a worksheet holds, shared by the reader and the core.
        .target(name: "CellModel"),
        .target(name: "XLSX", dependencies: ["CellModel", "CXlsxWriter", "CZip"], exclude: ["Reader/README.md"]),
        .target(name: "RuralStatCore", dependencies: ["CellModel", "Yams"]),
        .target(name: "RuralStatStore", dependencies: [
            "RuralStatCore", "CellModel", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "RuralStatRender", dependencies: ["RuralStatCore", "XLSX", "CellModel"]),
        .target(name: "RuralStatDaemon", dependencies: [
            "RuralStatCore", "RuralStatStore", "RuralStatRender", "XLSX", "CellModel", "Yams", "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ruralstat", dependencies: [
            "RuralStatDaemon", "RuralStatCore", "RuralStatStore", "RuralStatRender", "XLSX", "CellModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Measurements for `make bench`; not installed.
        .executableTarget(name: "RuralStatBench", dependencies: [
            "XLSX", "CellModel", "RuralStatCore", "RuralStatStore", "RuralStatDaemon", "RuralStatRender",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "CellModel"]),
        .testTarget(name: "RuralStatCoreTests", dependencies: ["RuralStatCore", "CellModel"]),
        .testTarget(name: "RuralStatStoreTests", dependencies: ["RuralStatStore", "RuralStatCore"]),
        .testTarget(name: "RuralStatRenderTests", dependencies: ["RuralStatRender", "RuralStatCore", "XLSX", "CellModel"]),
        .testTarget(name: "RuralStatDaemonTests", dependencies: [
            "RuralStatDaemon", "RuralStatCore", "RuralStatStore", "RuralStatRender", "XLSX", "CellModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["XLSX", "CellModel"], exclude: ["Support"]),
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
