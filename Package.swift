// swift-tools-version: 6.1
// mailferry: move a mail domain from one server to another with zero lost mail.
// Layout and dependency direction: docs/dev/architecture.md.
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
        .executable(name: "mailferry-bench", targets: ["mailferry-bench"]),
        .executable(name: "mailferry-corpus", targets: ["mailferry-corpus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // L0: pure values, no I/O.
        .target(name: "MailModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),

        // L0: the one durable-file writer (temporary file, fsync, rename, fsync the directory).
        .target(name: "DurableFile", swiftSettings: swiftSettings),
        // L0: threads: the one pool for blocking file-system work (spool, Maildir, APPEND files)
        // and the task executor that runs a task on an event loop (connections' own threads).
        .target(name: "BlockingIO", dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")], swiftSettings: swiftSettings),

        // L1: Maildir++ on disk: names, folders, Courier's and Dovecot's metadata. Glibc only, no NIO.
        .target(name: "Maildir", dependencies: ["MailModel", "CMaildirSystem", "DurableFile"], swiftSettings: swiftSettings),
        // syncfs(2) for Maildir: one flush per commit instead of one fsync per message.
        .target(name: "CMaildirSystem"),

        // L1: sans-IO IMAP codec: framing, streaming response parser, command encoder. No sockets.
        .target(
            name: "IMAPCodec",
            dependencies: ["MailModel", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // L2: the async IMAP client over NIO: thin channel handler, TLS/STARTTLS, auth, pipelining.
        .target(
            name: "IMAPClient",
            dependencies: [
                "IMAPCodec",
                "MailModel",
                "BlockingIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // L1: SMTP sans-IO codec: commands, replies, framing, dot-stuffing, session state machines.
        .target(
            name: "SMTPCodec",
            dependencies: ["MailModel", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // L1: sans-IO DNS message codec for `plan`'s questions to authoritative servers.
        .target(name: "DNSCodec", swiftSettings: swiftSettings),
        // L1: durable queue files (write, fsync, rename, dir fsync, recover). Transport-agnostic.
        .target(
            name: "MailSpool",
            dependencies: ["MailModel", "DurableFile", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // L1: the STARTTLS gate shared by SMTP server and client (a ChannelHandler, NIOCore only).
        .target(name: "SMTPTransport", dependencies: [.product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        // L2: SMTP listener (a Service) and outbound delivery client.
        .target(
            name: "SMTPServer",
            dependencies: [
                "MailModel", "SMTPCodec", "SMTPTransport", "BlockingIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SMTPClient",
            dependencies: [
                "MailModel", "SMTPCodec", "SMTPTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // L3: queue manager (spool -> SMTPClient), mirror rules, the MessageSink the server writes into.
        .target(
            name: "Relay",
            dependencies: [
                "MailModel", "MailSpool", "SMTPServer", "SMTPClient", "SMTPCodec", "BlockingIO", "DurableFile",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // L1: Postfix control: postconf/postmap wrappers, mirror settings, backup and restore.
        .target(name: "PostfixControl", dependencies: ["DurableFile"], swiftSettings: swiftSettings),

        // L2: the cutover's Postfix mechanics (hold, relay, restore), the hosts commands run on
        // (local, SSH) and the proof from the mail logs; Migration's phase machine drives it.
        .target(name: "Cutover", dependencies: ["PostfixControl", "MailModel", "BlockingIO"], swiftSettings: swiftSettings),

        // L1: sans-IO PROXY protocol v2 header: the value, its encoder, a bounded decoder.
        .target(name: "ProxyProtocol", dependencies: [.product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        // L2: the TCP forwarder of `mailferry forward`: PROXY v2 header first, then bytes unchanged.
        .target(
            name: "Forward",
            dependencies: [
                "ProxyProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // L1: SQLite schema and the records the sync engine keeps between runs.
        .target(
            name: "StateStore",
            dependencies: ["MailModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),

        // L2: the sync engine: folder mapping, copy, resume; stores are protocols, no NIO.
        .target(name: "SyncEngine", dependencies: ["MailModel", "StateStore"], swiftSettings: swiftSettings),

        // L3: the stores the sync engine works with: IMAP accounts, a Courier Maildir++ tree
        // read directly, a Dovecot Maildir written directly (keeping UIDs).
        .target(
            name: "SyncBackends",
            dependencies: [
                "MailModel", "SyncEngine", "IMAPClient", "IMAPCodec", "Maildir", "BlockingIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // L3: per-message proof that nothing was lost or altered; text, JSON and HTML reports.
        .target(name: "Verify", dependencies: ["MailModel", "StateStore", "SyncEngine"], swiftSettings: swiftSettings),

        // L3: every config file mailferry reads, through one strict TOML mechanism: the files'
        // tables decoded and checked as values. Nothing that runs, so the config fuzzer is cheap.
        .target(
            name: "MailferryConfig",
            dependencies: ["MailModel", "Maildir", "DNSCodec", "Cutover", "Forward", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: swiftSettings
        ),
        // L4: the API every front end calls: config files, fleets of accounts, the mirror, the
        // cutover's phase machine, the one exit-status table. Typed results, no printing.
        .target(
            name: "Migration",
            dependencies: [
                "MailModel", "StateStore", "SyncEngine", "SyncBackends", "Verify", "IMAPClient", "IMAPCodec", "Maildir",
                "Relay", "MailSpool", "SMTPServer", "SMTPClient", "SMTPCodec", "BlockingIO", "Cutover", "PostfixControl", "MailferryConfig",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // L5: `mailferry plan`: the NS-following DNS client and the preflight checks.
        .target(
            name: "Plan",
            dependencies: [
                "DNSCodec", "Migration", "MailferryConfig", "SyncEngine", "MailModel", "PostfixControl", "SMTPClient", "SMTPCodec", "Cutover",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // L6: command tree: parses flags, loads config through Migration, renders. No protocol logic lives here.
        .target(
            name: "MailferryCLI",
            dependencies: [
                "Migration", "MailferryConfig", "MailModel", "StateStore", "SyncEngine", "Verify", "IMAPClient", "IMAPCodec",
                "Relay", "PostfixControl", "MailSpool", "SMTPServer", "Cutover", "Forward", "Plan", "DNSCodec",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["BuildCommitPlugin"]
        ),
        // The commit `mailferry --version` names, stamped on every build (scripts/lib/build-commit.sh).
        .plugin(name: "BuildCommitPlugin", capability: .buildTool()),
        // L7: the executable is one line.
        .executableTarget(
            name: "mailferry",
            dependencies: ["MailferryCLI"],
            swiftSettings: swiftSettings
        ),

        // Benchmarks: one subcommand per benchmark (`scripts/bench NAME`).
        .executableTarget(
            name: "mailferry-bench",
            dependencies: [
                "IMAPCodec",
                "IMAPClient",
                "MailModel", "TestbedClient", "Migration", "Relay", "MailSpool", "SMTPServer", "SMTPClient", "SMTPCodec",
                "CorpusGenerator", "StateStore", "Cutover", "Forward", "PostfixControl", "BlockingIO",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // libFuzzer executables, one per library, each holding named targets; built by
        // `scripts/fuzz TARGET` with -sanitize=fuzzer. A plain build replays files given as
        // arguments (`IMAPCodecFuzzer imap FILE...`). FuzzerSupport is their shared driver.
        .target(name: "FuzzerSupport", swiftSettings: swiftSettings),
        .executableTarget(
            name: "IMAPCodecFuzzer", dependencies: ["FuzzerSupport", "IMAPCodec", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        .executableTarget(
            name: "SMTPCodecFuzzer", dependencies: ["FuzzerSupport", "SMTPCodec", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        .executableTarget(name: "MaildirFuzzer", dependencies: ["FuzzerSupport", "Maildir"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "ProxyProtocolFuzzer", dependencies: ["FuzzerSupport", "ProxyProtocol", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        .executableTarget(name: "DNSCodecFuzzer", dependencies: ["FuzzerSupport", "DNSCodec"], swiftSettings: swiftSettings),
        .executableTarget(name: "ConfigFuzzer", dependencies: ["FuzzerSupport", "MailferryConfig"], swiftSettings: swiftSettings),
        .executableTarget(name: "CutoverFuzzer", dependencies: ["FuzzerSupport", "Cutover"], swiftSettings: swiftSettings),

        // Test kit: a deterministic Courier Maildir++ corpus (pure logic + writer) and its CLI.
        .target(name: "CorpusGenerator", dependencies: ["MailModel"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "mailferry-corpus",
            dependencies: ["CorpusGenerator", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // Finds the shared testbed (scripts/testbed) and talks to it with tiny async
        // IMAP/SMTP/POP3 sessions independent of the product's codecs. No Testing: the
        // benchmarks link it, also in the static release build that has no Testing module.
        .target(name: "TestbedClient", dependencies: ["BlockingIO", .product(name: "NIOPosix", package: "swift-nio")], swiftSettings: swiftSettings),
        // Test kit: TestbedClient re-exported, the .integration tag and .requiresTestbed trait,
        // the fault-injecting proxy, the one test clock, a private Dovecot with PROXY listeners
        // and a polling IMAP client (the forwarder's and the cutover's). Only tests link it.
        .target(name: "MailTestSupport", dependencies: ["TestbedClient"], swiftSettings: swiftSettings),
        // Test kit: an IMAP-like server in memory, with injectable faults, behind the sync
        // engine's store protocols.
        .target(name: "SyncTestSupport", dependencies: ["SyncEngine", "MailModel"], swiftSettings: swiftSettings),
        // Test kit: an SMTP message sink that records what it commits.
        .target(
            name: "SMTPTestSupport",
            dependencies: ["SMTPServer", "SMTPCodec", "MailModel", "MailTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings),

        .testTarget(name: "DurableFileTests", dependencies: ["DurableFile"], swiftSettings: swiftSettings),
        .testTarget(name: "BlockingIOTests", dependencies: ["BlockingIO", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")], swiftSettings: swiftSettings),
        .testTarget(name: "MailModelTests", dependencies: ["MailModel"], swiftSettings: swiftSettings),
        .testTarget(name: "MaildirTests", dependencies: ["Maildir", "MailModel", "MailTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CorpusGeneratorTests", dependencies: ["CorpusGenerator", "MailModel", "MailTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore", "MailModel"], swiftSettings: swiftSettings),
        .testTarget(name: "SyncEngineTests", dependencies: ["SyncEngine", "SyncTestSupport", "StateStore", "MailTestSupport", "MailModel"], swiftSettings: swiftSettings),
        .testTarget(name: "MailTestSupportTests", dependencies: ["MailTestSupport", "TestbedClient"], swiftSettings: swiftSettings),
        .testTarget(name: "TestbedIntegrationTests", dependencies: ["MailTestSupport", "TestbedClient"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SyncBackendsTests",
            dependencies: [
                "SyncBackends", "SyncEngine", "StateStore", "Verify", "MailTestSupport", "CorpusGenerator", "IMAPClient", "Maildir", "MailModel",
                "SyncTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "VerifyTests", dependencies: ["Verify", "SyncTestSupport", "MailModel", "StateStore", "SyncEngine"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MigrationTests",
            dependencies: [
                "Migration", "MailferryConfig", "MailModel", "IMAPClient", "IMAPCodec", "SyncBackends", "SyncEngine", "Maildir", "MailSpool",
                "Relay", "SMTPCodec", "SMTPClient", "SMTPServer", "MailTestSupport", "Forward", "StateStore", "Cutover", "SyncTestSupport", "Verify",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MailferryCLITests",
            dependencies: [
                "MailferryCLI", "Migration", "MailferryConfig", "MailModel", "IMAPClient", "IMAPCodec", "MailSpool", "Relay", "SyncEngine", "Forward", "Plan", "MailTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPCodecTests",
            dependencies: ["SMTPCodec", "MailModel", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DNSCodecTests", dependencies: ["DNSCodec"], swiftSettings: swiftSettings),
        .testTarget(name: "MailferryConfigTests", dependencies: ["MailferryConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "MailferryBenchTests", dependencies: ["mailferry-bench", "Cutover", "Forward", "BlockingIO", "MailTestSupport", "TestbedClient", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .testTarget(
            name: "PlanTests", dependencies: ["MailferryConfig", "MailModel", "Plan", "DNSCodec", "Migration", "MailTestSupport", "Cutover", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(name: "MailSpoolTests", dependencies: ["MailSpool", "MailTestSupport", "MailModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SMTPServerTests",
            dependencies: [
                "SMTPServer", "SMTPCodec", "SMTPTransport", "SMTPTestSupport", "MailTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPClientTests",
            dependencies: [
                "SMTPClient", "SMTPCodec", "SMTPTransport", "MailModel", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RelayTests",
            dependencies: [
                "Relay", "MailSpool", "SMTPServer", "SMTPClient", "SMTPCodec", "PostfixControl", "Migration", "MailTestSupport", "MailModel",
                "SMTPTestSupport", "StateStore", "SyncEngine", "Verify", "IMAPClient",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProxyProtocolTests",
            dependencies: ["ProxyProtocol", "MailTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ForwardTests",
            dependencies: [
                "Forward", "ProxyProtocol", "MailTestSupport", "Cutover",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PostfixControlTests", dependencies: ["PostfixControl"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CutoverTests", dependencies: ["MailferryConfig", "Cutover", "PostfixControl", "MailTestSupport", "Migration", "StateStore", "Relay", "MailSpool", "Forward",
                                                 "SyncEngine", "Verify", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IMAPCodecTests",
            dependencies: ["IMAPCodec", "MailModel", .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IMAPClientTests",
            dependencies: [
                "IMAPClient", "IMAPCodec", "MailModel", "MailTestSupport", "CorpusGenerator", "BlockingIO",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Fixtures/TLS: the test-only CA and server certificate (committed files).
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
