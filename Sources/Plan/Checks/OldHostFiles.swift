import Cutover
import Foundation

/// Small files the plan reads on the old host (filter files in a home, nsswitch.conf), each
/// bounded: one command per directory, locally or over ssh, sends the size and the first
/// `limit` bytes of every file that matches, base64-encoded so the bytes arrive exactly as
/// they are (invalid UTF-8 included). A huge or hostile file costs at most `limit` bytes.
struct OldHostFiles {
    struct File: Sendable, Equatable {
        /// The name in the directory.
        var name: String
        /// Its size on disk; nil when it could not be read.
        var size: Int?
        /// At most the limit's first bytes.
        var bytes: [UInt8]

        var truncated: Bool { size.map { bytes.count < $0 } ?? false }
    }

    /// Globs (our own constants) are expanded by the shell in the directory; a file is three
    /// lines: its name in base64, its size (-1 unreadable), its first bytes in base64.
    static let script = #"""
        cd -- "$1" 2>/dev/null || exit 3
        limit=$2; shift 2
        for pattern in "$@"; do
          for f in $pattern; do
            [ -f "$f" ] || continue
            printf '%s' "$f" | base64 -w0; echo
            if [ -r "$f" ]; then wc -c < "$f"; head -c "$limit" -- "$f" | base64 -w0; echo; else echo -1; echo; fi
          done
        done
        """#

    /// The files of `directory` on `host` that match `patterns` (shell globs without `/`);
    /// nil when the directory does not exist or cannot be entered.
    static func read(_ patterns: [String], in directory: String, on host: any Cutover.Host, limit: Int) async throws -> [File]? {
        let output = try await host.run(HostCommand(["/bin/sh", "-c", script, "sh", directory, String(limit)] + patterns, timeout: .seconds(60)))
        if output.status == 3 { return nil }
        guard output.status == 0 else { throw CutoverError.commandFailed(host: host.name, output: output) }
        return try parse(output.standardOutput, host: host.name, directory: directory)
    }

    static func parse(_ text: String, host: String, directory: String) throws -> [File] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var files: [File] = []
        var index = 0
        while index + 2 < lines.count {
            guard let name = Data(base64Encoded: String(lines[index])).map({ String(decoding: $0, as: UTF8.self) }),
                  let size = Int(lines[index + 1].trimmingCharacters(in: .whitespaces)),
                  let bytes = Data(base64Encoded: String(lines[index + 2])) else {
                throw CutoverError.file(host: host, path: directory, reason: "the file listing did not decode at line \(index + 1)")
            }
            files.append(File(name: name, size: size < 0 ? nil : size, bytes: [UInt8](bytes)))
            index += 3
        }
        return files
    }
}
