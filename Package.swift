// swift-tools-version: 6.1
//
// mailferry: move a mail domain from one server to another with zero lost mail.
// Layout and dependency direction: see ../shared/docs/architecture.md and the README.
// Every dependency here is deliberate; a clean debug build of them takes minutes on CI.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "mailferry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mailferry", targets: ["mailferry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // L0: pure values, no I/O.
        .target(
            name: "MailModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),

        // L1: Maildir++ on disk: file names, folders, Courier's and Dovecot's metadata files,
        // durable message and metadata writes. POSIX calls only (Glibc), no NIO.
        .target(
            name: "Maildir",
            dependencies: ["MailModel"],
            swiftSettings: swiftSettings
        ),

        // L4: command tree, config, logging bootstrap, wiring. No protocol logic lives here.
        .target(
            name: "MailferryCLI",
            dependencies: [
                "MailModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // L5: the executable is one line.
        .executableTarget(
            name: "mailferry",
            dependencies: ["MailferryCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "MailModelTests", dependencies: ["MailModel"], swiftSettings: swiftSettings),
        .testTarget(name: "MaildirTests", dependencies: ["Maildir", "MailModel"], swiftSettings: swiftSettings),
        .testTarget(name: "MailferryCLITests", dependencies: ["MailferryCLI"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
