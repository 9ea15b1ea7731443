import Foundation

/// Reads a log file on a ``Host`` (local or over SSH) incrementally, from a ``LogCursor``,
/// into a ``MailLogScanner``. Bytes travel base64-encoded, because a command's output is
/// text and a log holds whatever bytes senders put in addresses. A rotation is followed
/// into `PATH.1` when that is the old file; otherwise (compressed, removed, truncated in
/// place) the lines in between are unknown and the scanner gets a gap.
public struct HostLogReader: Sendable {
    public let host: any Host
    /// The most bytes one command returns; a read loops until the end of the file.
    public let chunkSize: UInt64

    public init(host: any Host, chunkSize: UInt64 = 1 << 20) {
        self.host = host
        self.chunkSize = max(1, chunkSize)
    }

    /// Feeds everything appended since `cursor` to `scanner` and returns the cursor after it.
    /// A missing file is a gap unless `missingIsGap` is false (an optional rotated file).
    public func read(_ cursor: LogCursor, into scanner: inout MailLogScanner, missingIsGap: Bool = true) async throws -> LogCursor {
        guard let (inode, size) = try await stat(cursor.path) else {
            if missingIsGap { scanner.noteGap("\(host.name):\(cursor.path) does not exist") }
            return cursor
        }
        var next = cursor
        if let known = cursor.inode, known != inode {
            let rotated = cursor.path + ".1"
            if let (oldInode, oldSize) = try await stat(rotated), oldInode == known, oldSize >= cursor.offset {
                try await readRange(rotated, from: cursor.offset, to: oldSize, into: &scanner)
            } else {
                scanner.noteGap("\(host.name):\(cursor.path) was rotated and the rest of the old file (inode \(known), from byte \(cursor.offset)) is not at \(rotated)")
            }
            next.offset = 0
        } else if size < cursor.offset {
            scanner.noteGap("\(host.name):\(cursor.path) shrank from \(cursor.offset) to \(size) bytes (truncated in place): lines written meanwhile are lost")
            next.offset = 0
        }
        next.inode = inode
        try await readRange(cursor.path, from: next.offset, to: size, into: &scanner)
        next.offset = size
        return next
    }

    /// A cursor at the file's current end (a missing file: its start), so that the next
    /// ``read(_:into:missingIsGap:)`` returns only what is written from now on.
    public func end(of path: String) async throws -> LogCursor {
        guard let (inode, size) = try await stat(path) else { return LogCursor(path: path) }
        return LogCursor(path: path, inode: inode, offset: size)
    }

    private func readRange(_ path: String, from start: UInt64, to end: UInt64, into scanner: inout MailLogScanner) async throws {
        var offset = start
        while offset < end {
            let count = min(chunkSize, end - offset)
            let script = #"dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none | base64 -w0"#
            let output = try await host.check(["/bin/sh", "-c", script, "sh", path, String(offset), String(count)])
            guard let bytes = Data(base64Encoded: output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)),
                  bytes.count == Int(count) else {
                throw CutoverError.file(host: host.name, path: path, reason: "read \(count) bytes at \(offset) but got something else")
            }
            scanner.feed(bytes)
            offset += count
        }
    }

    private func stat(_ path: String) async throws -> (UInt64, UInt64)? {
        let output = try await host.run(HostCommand(["/usr/bin/stat", "-L", "-c", "%i %s", "--", path]))
        guard output.status == 0 else { return nil }
        let fields = output.standardOutput.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let inode = UInt64(fields[0]), let size = UInt64(fields[1]) else {
            throw CutoverError.unexpectedOutput(command: output.command.description, detail: output.firstLine)
        }
        return (inode, size)
    }
}
