import Foundation
import MailTestSupport
import Testing
import Verify

/// `mailferry verify` on the real servers: after a Courier → Dovecot migration, each kind of
/// damage is done on purpose to Dovecot, and the report names every one exactly, in the text,
/// the JSON and the HTML (which headless Chromium must render with a row per discrepancy).
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct VerifyCommandIntegrationTests {
    @Test func everyKindOfDamageIsNamed() async throws {
        let (stores, _) = try await TestbedStores.make(prefix: "vdamage", messages: 40)
        let state = temporaryStateDirectory("vdamage")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let base = try stores.commandLine(state: state)

        // On the old server, before the migration: two messages sharing a Message-ID with
        // different bodies, and a folder of its own that will be deleted on the new server.
        let old = try await IMAPTestSession(stores.testbed.old.imap)
        try #require(try await old.login(stores.user.name, try stores.user.password()).isOK)
        let twin = "<twins-\(UUID().uuidString)@old.test>"
        for body in ["first twin body", "second twin body"] {
            try #require(try await append(old, to: "INBOX", "Message-ID: \(twin)\r\nSubject: twins\r\n\r\n\(body)\r\n").isOK)
        }
        for folder in ["Doomed", "Watched"] {
            try #require(try await old.command("CREATE INBOX.\(folder)").isOK)
            try #require(try await old.command("SUBSCRIBE INBOX.\(folder)").isOK)
            try #require(try await append(old, to: "INBOX.\(folder)", "Subject: \(folder)\r\n\r\nin INBOX.\(folder)\r\n").isOK)
        }
        try await old.command("LOGOUT")

        let (synced, syncOutput) = try await MailferryProcess.run(["sync", "--quiet"] + base, logDirectory: state + "/logs")
        try #require(synced == 0, "\(syncOutput)")
        let (clean, cleanOutput) = try await MailferryProcess.run(["verify", "--quiet", "--deep"] + base, logDirectory: state + "/logs")
        try #require(clean == 0, "\(cleanOutput)")

        let damage = try await DestinationDamage(stores: stores, twin: twin)

        let (status, output) = try await MailferryProcess.run(
            ["verify", "--deep", "--json", state + "/report.json", "--html", state + "/report.html"] + base,
            logDirectory: state + "/logs")
        #expect(status == 1, "missing and altered messages exit 1: \(output)")
        let report = try JSONDecoder().decode(VerifyReport.self, from: Data(contentsOf: URL(fileURLWithPath: state + "/report.json")))
        let found = try #require(report.accounts.first).discrepancies

        let missing = found.filter { $0.kind == .missing }
        #expect(missing.contains { $0.source?.messageID == twin && $0.source?.folder == "INBOX" }, "the twin that did not arrive")
        #expect(missing.contains { $0.source?.messageID == damage.deletedMessageID && $0.source?.folder == "INBOX" })
        #expect(found.contains { $0.kind == .altered && $0.destination?.folder == "INBOX" && $0.source?.messageID == damage.alteredMessageID })
        let flags = found.filter { $0.kind == .flagsDiffer }
        #expect(flags.contains { $0.detail.contains("missing on the destination: \\Seen") })
        #expect(flags.contains { $0.detail.contains("only on the destination: $Tampered") })
        #expect(found.contains { $0.kind == .folderMissing && $0.source?.folder == "INBOX.Doomed" })
        #expect(found.contains { $0.kind == .subscriptionDiffers && $0.source?.folder == "INBOX.Watched" })
        #expect(found.contains { $0.kind == .extra && $0.destination?.subject == "arrived only on the new server" })
        #expect(output.contains(twin), "the terminal report names the messages")

        try await expectRendered(state + "/report.html", kinds: [.missing, .altered, .flagsDiffer, .folderMissing, .subscriptionDiffers, .extra])
    }

    /// Opens the report in headless Chromium and checks the DOM it built: the verdict and a row
    /// for each kind. Chromium is installed by scripts/test; a machine without it skips this part.
    func expectRendered(_ path: String, kinds: [Discrepancy.Kind]) async throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            #expect(ProcessInfo.processInfo.environment["MAILFERRY_REQUIRE_TESTBED"] != "1", "chromium is missing: scripts/test installs it")
            return
        }
        let profile = temporaryStateDirectory("chromium")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--dump-dom", "file://\(path)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let dom = try await LineSocket.blocking {
            try process.run()
            let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return dom
        }
        #expect(process.terminationStatus == 0)
        #expect(dom.contains("LOSS FOUND"))
        for kind in kinds {
            let css = "kind-" + String(kind.rawValue.map { $0.isLetter || $0.isNumber ? $0 : "-" })
            #expect(dom.contains("class=\"\(css)\""), "no rendered row for \(kind.rawValue)")
        }
    }

    func append(_ session: IMAPTestSession, to folder: String, flags: String = "", _ message: String) async throws -> IMAPTestResponse {
        try await session.append(to: folder, flags: flags, Array(message.utf8))
    }
}
