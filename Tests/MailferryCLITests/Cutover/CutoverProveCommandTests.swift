import ArgumentParser
import Foundation
@testable import MailferryCLI
import Testing

/// `mailferry cutover prove` over log files: exit codes, the JSON and HTML files.
struct CutoverProveCommandTests {
    static let old = """
        Dec 06 12:00:10 mx.old postfix/smtpd[100]: A1B2C3D4E5: client=ext.example[198.51.100.7]
        Dec 06 12:00:10 mx.old postfix/cleanup[101]: A1B2C3D4E5: message-id=<m1@ext.example>
        Dec 06 12:00:10 mx.old postfix/qmgr[102]: A1B2C3D4E5: from=<s@ext.example>, size=1234, nrcpt=1 (queue active)
        Dec 06 12:00:11 mx.old postfix/smtp[103]: A1B2C3D4E5: to=<alice@example.com>, relay=mx.new.test[192.0.2.20]:25, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as F0E1D2C3B4)
        Dec 06 12:00:11 mx.old postfix/qmgr[102]: A1B2C3D4E5: removed

        """
    static let new = """
        Dec 06 12:00:11 mx.new postfix/smtpd[200]: F0E1D2C3B4: client=mx.old.test[192.0.2.10]
        Dec 06 12:00:11 mx.new postfix/qmgr[202]: F0E1D2C3B4: from=<s@ext.example>, size=1300, nrcpt=1 (queue active)
        Dec 06 12:00:12 mx.new postfix/lmtp[203]: F0E1D2C3B4: to=<alice@example.com>, relay=127.0.0.1[127.0.0.1]:24, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <alice@example.com> sEsSiOn Saved)
        Dec 06 12:00:12 mx.new postfix/qmgr[202]: F0E1D2C3B4: removed

        """
    static let dovecot = "Dec 06 12:00:12 lmtp(alice)<300><sEsSiOn>: Info: msgid=<m1@ext.example>: saved mail to INBOX\n"

    func withLogs(dovecot: String, _ body: (String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "mailferry-prove-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.old.write(toFile: "\(directory)/old.log", atomically: true, encoding: .utf8)
        try Self.new.write(toFile: "\(directory)/new.log", atomically: true, encoding: .utf8)
        try dovecot.write(toFile: "\(directory)/dovecot.log", atomically: true, encoding: .utf8)
        try await body(directory)
    }

    func command(_ directory: String, _ extra: [String] = []) throws -> CutoverProveCommand {
        try CutoverProveCommand.parse([
            "--old-log", "\(directory)/old.log", "--new-log", "\(directory)/new.log", "--dovecot-log", "\(directory)/dovecot.log",
            "--since", "2026-12-06T12:00:00Z", "--until", "2026-12-06T13:00:00Z", "--utc-offset", "+00:00",
            "--json", "\(directory)/proof.json", "--html", "\(directory)/proof.html",
        ] + extra)
    }

    @Test func aProvenWindowExitsZeroAndWritesBothReports() async throws {
        try await withLogs(dovecot: Self.dovecot) { directory in
            try await command(directory, ["--new-server", "mx.new.test"]).run()
            let json = try String(contentsOfFile: "\(directory)/proof.json", encoding: .utf8)
            #expect(json.contains("\"verdict\" : \"proven\""))
            #expect(json.contains("\"deliveredNew\" : 1"))
            let html = try String(contentsOfFile: "\(directory)/proof.html", encoding: .utf8)
            #expect(html.contains("cutover proof: proven"))
        }
    }

    @Test func aMissingDovecotLineExitsOne() async throws {
        try await withLogs(dovecot: "") { directory in
            // Without --new-server the relay is recognised by its queue id in the new log.
            await #expect(throws: ExitCode(1)) { try await command(directory).run() }
            let json = try String(contentsOfFile: "\(directory)/proof.json", encoding: .utf8)
            #expect(json.contains("\"lost\" : 1"))
        }
    }

    @Test func badTimesAreUsageErrors() {
        #expect(throws: (any Error).self) {
            try CutoverProveCommand.parse(["--old-log", "x", "--since", "yesterday", "--until", "2026-12-06T13:00:00Z"])
        }
        #expect(throws: (any Error).self) {
            try CutoverProveCommand.parse(["--old-log", "x", "--since", "2026-12-06T12:00:00Z", "--until", "2026-12-06T13:00:00Z",
                                           "--utc-offset", "CET"])
        }
    }
}
