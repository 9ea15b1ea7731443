import ArgumentParser
import Foundation
@testable import MailferryCLI
import Testing

@Suite struct DNSWatchCommandTests {
    static func run(_ extra: String, _ arguments: [String] = []) async throws {
        let path = try PlanCommandTests.config(extra)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let command = try MailferryCommand.parseAsRoot(["dns", "watch", "--config", path] + arguments)
        guard let watch = command as? DNSWatchCommand else { throw ExitCode(70) }
        try await watch.run()
    }

    @Test("without what tells an old answer, the watch is a usage error before any question", arguments: [
        ("", [String]()),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\n", []),
        ("[plan]\ndomains = [\"example.com\"]\nold_addresses = [\"192.0.2.10\"]\nnew_addresses = [\"198.51.100.20\"]\n", ["--interval", "0s"]),
        ("[plan]\ndomains = [\"example.com\"]\nold_addresses = [\"192.0.2.10\"]\nnew_addresses = [\"198.51.100.20\"]\n", ["bad..name"]),
    ])
    func usageErrors(config: String, arguments: [String]) async throws {
        await #expect(throws: ExitCode(64)) { try await Self.run(config, arguments) }
    }
}
