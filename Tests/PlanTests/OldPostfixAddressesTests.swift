import Cutover
import Foundation
import Testing

@testable import Plan

/// The old Postfix's maps are read through the old host's `Host` (over ssh when the old host
/// is remote), never with a local process.
@Suite struct OldPostfixAddressesTests {
    /// A host that answers postconf and postmap from a table and records what it was asked.
    final class ScriptedHost: Cutover.Host, @unchecked Sendable {
        let name = "root@old.example"
        let answers: [String: String]
        private let lock = NSLock()
        private var asked: [[String]] = []

        init(answers: [String: String]) { self.answers = answers }

        var commands: [[String]] { lock.withLock { asked } }

        func run(_ command: HostCommand) async throws -> CommandOutput {
            lock.withLock { asked.append(command.argv) }
            let key = command.argv.last ?? ""
            guard let text = answers[key] else {
                return CommandOutput(command: command, status: 1, standardOutput: "", standardError: "postmap: fatal: unsupported dictionary type: pcre", duration: .zero)
            }
            return CommandOutput(command: command, status: 0, standardOutput: text, standardError: "", duration: .zero)
        }

        func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws { Issue.record("wrote \(path)") }
        func readFile(_ path: String) async throws -> [UInt8]? { nil }
        func removeFile(_ path: String) async throws { Issue.record("removed \(path)") }
    }

    @Test("accounts, canonical maps, alias_maps and virtual_alias_maps through the host; a map postmap cannot list is named")
    func readsThroughTheHost() async throws {
        let host = ScriptedHost(answers: [
            "mydestination": "old.example, localhost\n",
            "recipient_delimiter": "+\n",
            "recipient_canonical_maps": "hash:/etc/postfix/canonical\n",
            "canonical_maps": "\n",
            "hash:/etc/postfix/canonical": "jdoe@old.example bob\njane alice\nother@else.example x\n",
            "alias_maps": "hash:/etc/aliases\n",
            "local_recipient_maps": "hash:/etc/aliases\n",
            "virtual_alias_maps": "hash:/etc/postfix/virtual, pcre:/etc/postfix/virtual.pcre\n",
            "hash:/etc/aliases": "postmaster root\nlist \"|/usr/lib/mailman/mail/mailman post list\"\n",
            "hash:/etc/postfix/virtual": "sales@old.example bob\n@old.example alice\nx@other.example y\n",
        ])
        let found = try await OldPostfixAddresses(postfix: PostfixHost(host: host, configDirectory: "/etc/postfix")).addresses(for: ["old.example"], accounts: ["Carol", "dave@old.example", "eve@else.example"])
        #expect(found.addresses.map(\.address) == ["carol@old.example", "dave@old.example", "jdoe@old.example", "jane@old.example",
                                                    "postmaster@old.example", "list@old.example", "sales@old.example"])
        #expect(found.delimiter == "+")
        #expect(found.local.map(\.address) == ["list@old.example"])
        #expect(found.catchAll.map(\.address) == ["@old.example"])
        #expect(found.unlisted.map(\.description) == ["pcre:/etc/postfix/virtual.pcre (virtual_alias_maps): a pattern table: it matches addresses it does not list"])
        #expect(host.commands.first == ["/usr/sbin/postconf", "-c", "/etc/postfix", "-h", "-x", "mydestination"])
        #expect(host.commands.contains(["/usr/sbin/postmap", "-c", "/etc/postfix", "-s", "hash:/etc/aliases"]))
    }
}
