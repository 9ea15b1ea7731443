import ArgumentParser
import Foundation
import MailferryConfig
import enum MailModel.ByteFormatting
import Migration
import StateStore
import SyncEngine
import Verify

/// `mailferry verify`: prove, message by message, that the destination holds the source.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove per message (SHA-256 of the exact bytes) that the destination holds everything the source has.",
        discussion: """
            Takes the same source, destination, config and folder options as sync, maps folders the \
            same way, and compares every folder pair message by message: the SHA-256 of the exact \
            bytes, size, INTERNALDATE, flags and keywords. Every difference is named with both \
            sides' folder, UID, Message-ID, Subject, size and date: missing, extra, altered (same \
            message, different bytes), flags differ, date differs, folder missing, subscription \
            differs, and with --expect-same-uids UID or UIDVALIDITY differs.

            Fingerprints that sync recorded in the state directory are reused for messages that did \
            not change; --deep reads every message on both sides. verify never changes anything.

              mailferry verify --config mailferry.toml --html report.html \\
                  --json report.json

            After Courier → Dovecot Maildir (sync --to maildir:), prove that UIDs were kept too, \
            reading both Maildirs directly or both servers over IMAP:
              mailferry verify --from maildir:/home/alice/Maildir \\
                  --to maildir:/var/vmail/alice/Maildir --expect-same-uids

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var endpoints: EndpointOptions
    @OptionGroup var fleet: FleetOptions
    @OptionGroup var folders: FolderRuleOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Read every message on both sides instead of reusing fingerprints recorded by sync.")
    var deep = false

    @Flag(name: .customLong("expect-same-uids"), help: "Also require the same UIDVALIDITY and UID for every message (the UID-preserving path).")
    var expectSameUIDs = false

    @Option(help: ArgumentHelp("Write the full report as JSON to this file ('-' for standard output).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report to this file.", valueName: "file"))
    var html: String?

    func run() async throws {
        let logger = logging.bootstrap()
        let setup: MigrationSetup
        do {
            setup = try MigrationSetup.resolve(MigrationRequest(endpoints: endpoints, fleet: fleet), readOnly: true, logger: logger)
        } catch let error as ConfigError {
            throw commandFailure(error.description, status: .usage)
        }
        let statePath = (setup.stateDirectory as NSString).appendingPathComponent("state.sqlite")
        let store: (any SyncStateStore)? = FileManager.default.fileExists(atPath: statePath) ? try? SQLiteStateStore(path: statePath) : nil
        var options = VerifyOptions()
        options.deep = deep
        options.expectSameUIDs = expectSameUIDs
        let verifyOptions = options
        let rules = folders.rules(config: setup.config?.folders)
        let started = Date()
        let quiet = logging.quiet || json == "-"
        let accounts = await setup.verify(store: store, rules: rules, options: verifyOptions) { result in
            if !quiet {
                FileHandle.standardError.write(Data("\(result.account): \(result.sourceMessages) messages checked in \(ByteFormatting.duration(result.seconds))\n".utf8))
            }
        }
        let report = VerifyReport(
            scope: .init(deep: deep, expectSameUIDs: expectSameUIDs, startedAt: Self.timestamp(started), finishedAt: Self.timestamp(Date()),
                         toolVersion: MailferryVersion.string),
            accounts: accounts)
        try write(report)
        throw ExitStatus(report).exitCode
    }

    private func write(_ report: VerifyReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let jsonText = String(decoding: try encoder.encode(report), as: UTF8.self)
        if json == "-" {
            print(jsonText)
        } else {
            print(VerifyTextRenderer().render(report))
            if let json { try Self.save(jsonText + "\n", to: json) }
        }
        if let html {
            try Self.save(VerifyHTMLRenderer().render(report), to: html)
            if json != "-" { print("HTML report: \(html)") }
        }
        if let json, json != "-" { print("JSON report: \(json)") }
    }

    private static func save(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw commandFailure("cannot write \(path): \(error.localizedDescription)", status: .ioError)
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
