import Foundation
import MailferryConfig
import MailModel

/// Where a password comes from: a file (its first line) or an environment variable. Never
/// argv, never printed: the result is a ``Secret``.
///
/// Used by every command that logs in (`imap probe`, `sync`, `verify`), each with its own
/// flag and variable names (`--password-file` / `MAILFERRY_PASSWORD`,
/// `--master-password-file` / `MAILFERRY_MASTER_PASSWORD`, ...).
public struct SecretSource: Sendable {
    /// The flag that names the file, for messages (e.g. `--password-file`).
    public let fileFlag: String
    /// The environment variable (e.g. `MAILFERRY_PASSWORD`).
    public let environmentVariable: String

    public init(fileFlag: String, environmentVariable: String) {
        self.fileFlag = fileFlag
        self.environmentVariable = environmentVariable
    }

    /// Loads the secret: the file wins over the environment. Throws ``ConfigError``-style
    /// usage errors that name the flag or variable, never the value.
    public func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Secret {
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw SecretSourceError("cannot read \(fileFlag) \(file): \(error.localizedDescription)")
            }
            // The first line, ended by LF or CRLF ("\r\n" is one Character in Swift).
            let value = text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !value.isEmpty else { throw SecretSourceError("\(fileFlag) \(file) is empty (the password is its first line)") }
            return Secret(value)
        }
        if let value = environment[environmentVariable], !value.isEmpty {
            return Secret(value)
        }
        throw SecretSourceError("no password: use \(fileFlag) FILE or set \(environmentVariable) (never on the command line)")
    }
}

/// A password could not be loaded; the message names the flag or variable, never a value.
public struct SecretSourceError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
