import Glibc
@testable import Maildir

/// A fresh directory under /tmp for one test, removed (recursively) by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/mailferry-maildir-test.XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(result != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func path(_ relative: String) -> String { path + "/" + relative }

    /// Create a file (and its parent directories) with `content`, optionally with an mtime.
    @discardableResult
    func write(_ relative: String, _ content: String = "", mtime: Int64? = nil) -> String {
        write(relative, bytes: Array(content.utf8), mtime: mtime)
    }

    @discardableResult
    func write(_ relative: String, bytes: [UInt8], mtime: Int64? = nil) -> String {
        let full = path(relative)
        makeDirectories(FileSystem.parent(full))
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(full) failed")
        if !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            precondition(written == bytes.count)
        }
        if let mtime {
            var times = [timespec(tv_sec: Int(mtime), tv_nsec: 0), timespec(tv_sec: Int(mtime), tv_nsec: 0)]
            futimens(fd, &times)
        }
        close(fd)
        return full
    }

    /// `mkdir -p`.
    func makeDirectories(_ full: String) {
        var current = ""
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + part
            mkdir(current, 0o755)
        }
    }

    /// A Maildir (cur/new/tmp) at `relative` ("" for the root itself).
    @discardableResult
    func maildir(_ relative: String = "") -> String {
        let base = relative.isEmpty ? path : path(relative)
        for sub in ["cur", "new", "tmp"] { makeDirectories(base + "/" + sub) }
        return base
    }

    func read(_ relative: String) -> String? {
        guard let bytes = try? FileSystem.readFile(path(relative)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    func exists(_ relative: String) -> Bool {
        (try? FileSystem.status(path(relative), followLinks: false)) != nil
    }

    /// Sorted names in a directory (hidden ones included), or [] if missing.
    func list(_ relative: String) -> [String] {
        ((try? FileSystem.entries(of: relative.isEmpty ? path : path(relative))) ?? nil)?.names.sorted() ?? []
    }

    func remove() {
        removeTree(path)
    }

    private func removeTree(_ full: String) {
        if let status = try? FileSystem.status(full, followLinks: false), status.isDirectory {
            for name in ((try? FileSystem.entries(of: full)) ?? nil)?.names ?? [] {
                removeTree(full + "/" + name)
            }
            rmdir(full)
        } else {
            unlink(full)
        }
    }
}
