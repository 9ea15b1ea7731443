import Cutover
import Foundation
import MailferryConfig
import Synchronization

/// Appends every command a cutover runs on either host, with its exit status, duration and
/// complete output, to one file in the state directory (`cutover-commands.log`), so the
/// admin can see everything mailferry did on each host. Commands carry no secrets: hosts
/// are reached with the admin's SSH keys, and passwords never appear in argv.
public final class CutoverCommandLogFile: CommandLog {
    public let path: String
    private let handle: Mutex<FileHandle?>

    public init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ConfigError("cannot create the command log \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ConfigError("cannot open the command log \(path)") }
        handle.seekToEndOfFile()
        self.handle = Mutex(handle)
    }

    public func record(host: String, output: CommandOutput) {
        var text = "\(Date()) \(host)$ \(output.command)\n  exit \(output.status) after \(output.duration)\n"
        for (name, stream) in [("stdout", output.standardOutput), ("stderr", output.standardError)] where !stream.isEmpty {
            text += stream.split(separator: "\n", omittingEmptySubsequences: false).map { "  \(name)| \($0)" }.joined(separator: "\n") + "\n"
        }
        handle.withLock { $0?.write(Data(text.utf8)) }
    }
}
