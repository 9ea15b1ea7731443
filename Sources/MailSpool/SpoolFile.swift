#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DurableFile

/// The few POSIX calls the spool needs, each turning errno into a `SpoolError`.
/// All of them block: callers run them off the event loops (the relay uses a thread pool).
enum SpoolFile {
    static func fail(_ operation: String, _ path: String) -> SpoolError {
        let code = errno
        let text = String(cString: strerror(code))
        return SpoolError(code == ENOENT ? .notFound : .io, "\(operation) \(path): \(text)", code: code)
    }

    static func createExclusive(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("create", path) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw fail("write", path)
            }
            offset += written
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { (raw) throws in try writeAll(fd, raw, path: path) }
    }

    static func sync(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else { throw fail("fsync", path) }
    }

    static func dataSync(_ fd: Int32, path: String) throws {
        guard fdatasync(fd) == 0 else { throw fail("fdatasync", path) }
    }

    /// Up to `length` octets at `offset` (fewer at the end of the file).
    static func readRange(_ path: String, offset: Int, length: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open", path) }
        defer { closeFile(fd) }
        var out = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let count = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, length - filled, off_t(offset + filled)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("read", path)
            }
            if count == 0 { break }
            filled += count
        }
        return Array(out[0..<filled])
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// rename(2), then fsync the destination directory: a rename is not durable until its
    /// directory is (ext4, xfs).
    static func renameDurably(_ from: String, _ to: String, directory: String) throws {
        guard rename(from, to) == 0 else { throw fail("rename", from) }
        try syncDirectory(directory)
    }

    static func move(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw fail("rename", from) }
    }

    /// ``DurableFile/syncDirectory(_:)``, its failure as a spool error.
    static func syncDirectory(_ directory: String) throws {
        do throws(DurableFileError) {
            try DurableFile.syncDirectory(directory)
        } catch {
            let text = String(cString: strerror(error.errno))
            throw SpoolError(error.errno == ENOENT ? .notFound : .io, "\(error.operation) directory \(error.path): \(text)", code: error.errno)
        }
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open", path) }
        defer { closeFile(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("read", path)
            }
            if count == 0 { return out }
            out.append(contentsOf: chunk[0..<count])
        }
    }

    /// Append whole lines to a journal: either all of `bytes` is in the file afterwards, or
    /// none of it. A write cut short (the disk filled up halfway) is cut off again, so the
    /// next append does not glue its line to a torn one; a torn last line left by a crash gets
    /// its LF first for the same reason. Callers serialise appends to one file.
    static func appendLines(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("open", path) }
        defer { closeFile(fd) }
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else { throw fail("lseek", path) }
        var last: UInt8 = 10
        if end > 0, pread(fd, &last, 1, end - 1) != 1 { throw fail("read", path) }
        do {
            try writeAll(fd, last == 10 ? bytes : [10] + bytes, path: path)
        } catch {
            _ = ftruncate(fd, end)
            throw error
        }
    }

    static func writeNew(_ path: String, _ bytes: [UInt8], sync: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("create", path) }
        defer { closeFile(fd) }
        try writeAll(fd, bytes, path: path)
        if sync { try self.sync(fd, path: path) }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw fail("unlink", path) }
    }

    static func size(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw fail("stat", path) }
        return Int(info.st_size)
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Returns true if the directory was created (its name is not durable until the parent
    /// directory is fsynced).
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o700) == 0 { return true }
        guard errno == EEXIST else { throw fail("mkdir", path) }
        return false
    }

    static func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw fail("opendir", directory) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
