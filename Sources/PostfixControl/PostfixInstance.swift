import Foundation

/// One Postfix instance, named by its configuration directory (`postconf -c DIR`), so it
/// works on `/etc/postfix` and on a second instance such as the testbed's old server.
public struct PostfixInstance: Sendable {
    public let configDirectory: String
    public var postconfPath = "/usr/sbin/postconf"
    public var postmapPath = "/usr/sbin/postmap"
    public var postfixPath = "/usr/sbin/postfix"

    public init(configDirectory: String) {
        self.configDirectory = configDirectory.hasSuffix("/") && configDirectory.count > 1 ? String(configDirectory.dropLast()) : configDirectory
    }

    /// Where mailferry keeps its maps and backups for this instance.
    public var mailferryDirectory: String { "\(configDirectory)/mailferry" }

    func postconf(_ arguments: [String]) throws -> String {
        let output = try ProcessRunner.run(postconfPath, ["-c", configDirectory] + arguments)
        guard output.status == 0 else {
            throw PostfixError("postconf -c \(configDirectory) \(arguments.joined(separator: " ")) failed: \(Self.firstLine(output))")
        }
        return output.standardOutput
    }

    /// Parameters set explicitly in main.cf (`postconf -n`), name → value.
    public func explicitSettings() throws -> [String: String] {
        Self.parseSettings(try postconf(["-n"]))
    }

    /// The effective value of a parameter (explicit or default).
    public func value(_ name: String) throws -> String {
        try postconf(["-h", name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Set parameters in main.cf.
    public func set(_ settings: [(String, String)]) throws {
        guard !settings.isEmpty else { return }
        try terminateMainCF()
        _ = try postconf(["-e"] + settings.map { "\($0.0)=\($0.1)" })
    }

    /// `postconf -e` appends a new parameter right after the last byte of main.cf: when the
    /// file does not end with a newline, the setting is glued onto the last line's value,
    /// which loses the new setting and breaks the old one. A final newline changes no
    /// setting, so one is added first: `bytes` with it, or nil when the file needs none.
    /// The cutover's remote hosts use the same rule through their own file access.
    public static func mainCFTerminated(_ bytes: [UInt8]) -> [UInt8]? {
        guard let last = bytes.last, last != UInt8(ascii: "\n") else { return nil }
        return bytes + [UInt8(ascii: "\n")]
    }

    /// ``mainCFTerminated(_:)`` on this instance's main.cf, keeping the file's mode.
    func terminateMainCF() throws {
        let path = "\(configDirectory)/main.cf"
        guard let data = FileManager.default.contents(atPath: path), let bytes = Self.mainCFTerminated([UInt8](data)) else { return }
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o644
        try AtomicFile.write(Data(bytes), to: path, permissions: mode)
    }

    /// Remove parameters from main.cf (they fall back to their defaults).
    public func unset(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        _ = try postconf(["-X"] + names)
    }

    /// The smtpd listeners in master.cf, as `host:port` service names (`127.0.0.1:10025`).
    public func smtpListeners() throws -> [String] {
        try postconf(["-M"]).split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8, fields[1] == "inet", fields[7] == "smtpd" else { return nil }
            return String(fields[0])
        }
    }

    /// `postmap` a file into `type:file` (for hash maps).
    public func postmap(_ map: String) throws {
        let output = try ProcessRunner.run(postmapPath, ["-c", configDirectory, map])
        guard output.status == 0 else { throw PostfixError("postmap \(map) failed: \(Self.firstLine(output))") }
    }

    /// `postmap -q key map`: the lookup result, or nil when the key is not found.
    public func query(_ key: String, in map: String) throws -> String? {
        let output = try ProcessRunner.run(postmapPath, ["-c", configDirectory, "-q", key, map])
        switch output.status {
        case 0: return output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        case 1: return nil
        default: throw PostfixError("postmap -q \(key) \(map) failed: \(Self.firstLine(output))")
        }
    }

    /// True if the instance's master process runs.
    public func isRunning() throws -> Bool {
        try ProcessRunner.run(postfixPath, ["-c", configDirectory, "status"]).status == 0
    }

    /// Reload a running instance so it reads main.cf again; nothing to do when stopped.
    public func reloadIfRunning() throws {
        guard try isRunning() else { return }
        let output = try ProcessRunner.run(postfixPath, ["-c", configDirectory, "reload"])
        guard output.status == 0 else { throw PostfixError("postfix reload failed: \(Self.firstLine(output))") }
    }

    /// `postfix check`: configuration and file permissions.
    public func check() throws {
        let output = try ProcessRunner.run(postfixPath, ["-c", configDirectory, "check"])
        guard output.status == 0 else { throw PostfixError("postfix check failed: \(Self.firstLine(output))") }
    }

    public static func parseSettings(_ text: String) -> [String: String] {
        var settings: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.range(of: " = ") ?? line.range(of: " =") else { continue }
            settings[String(line[..<equals.lowerBound])] = String(line[equals.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        return settings
    }

    static func firstLine(_ output: ProcessRunner.Output) -> String {
        let text = output.standardError.isEmpty ? output.standardOutput : output.standardError
        return text.split(separator: "\n").first.map(String.init) ?? "exit status \(output.status)"
    }
}
