import ArgumentParser
import Foundation
import IMAPClient
import IMAPCodec
import Logging
import MailModel
import Migration

/// `mailferry imap probe URL`: log in and show what a migration would see.
struct IMAPProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Log in and list capabilities, namespaces and every folder with its attributes, message count and size.",
        discussion: """
            Like imapsync's --justfolders: nothing is changed on the server except what \
            SELECT itself does (Courier moves new mail to cur/, \\Recent is cleared). \
            Folder names are shown decoded (UTF-8); --json also gives the exact wire names.

            Passwords: --password-file FILE or $MAILFERRY_PASSWORD; with --master-user, \
            --master-password-file FILE or $MAILFERRY_MASTER_PASSWORD. Never on the command line.

            TLS: imaps:// is TLS from the first byte; imap:// upgrades with STARTTLS and fails \
            if the server cannot (no silent fallback). Certificates are verified unless \
            --insecure; --ca-file trusts a private CA. Without TLS (--no-starttls) a password \
            is sent only to a loopback address, unless --allow-plaintext.

            Examples:
              MAILFERRY_PASSWORD=... mailferry imap probe imap://alice@mail.example.com
              mailferry imap probe imaps://alice@new.example.com --master-user admin \\
                  --master-password-file /root/master.pass --json

            \(ExitStatus.helpTable)
            """
    )

    @OptionGroup var account: IMAPAccountOptions

    @ArgumentParser.Flag(help: "Print the result as JSON.")
    var json = false

    @ArgumentParser.Flag(name: .shortAndLong, help: "Log protocol steps to stderr (passwords are never logged).")
    var verbose = false

    func validate() throws {
        if MaildirURL.isMaildir(account.url) { throw ValidationError("imap probe talks to an IMAP server: give imap://user@host or imaps://user@host") }
    }

    func run() async throws {
        var logger = Logger(label: "mailferry.imap.probe") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .trace : .warning
        let spec: IMAPAccountSpec
        do {
            spec = try account.spec()
        } catch {
            FileHandle.standardError.write(Data("mailferry imap probe: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        }
        let started = ContinuousClock.now
        do {
            let report = try await IMAPProbe.run(spec, logger: logger)
            let elapsed = ContinuousClock.now - started
            print(json ? report.json() : report.text(elapsed: elapsed))
        } catch let error as SecretSourceError {
            FileHandle.standardError.write(Data("mailferry imap probe: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        } catch let error as IMAPClientError {
            FileHandle.standardError.write(Data("mailferry imap probe: \(error)\n".utf8))
            throw ExitStatus(error).exitCode
        }
    }
}
