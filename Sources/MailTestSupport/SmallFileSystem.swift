#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A tmpfs of a few hundred KiB, mounted for one test and unmounted after it: code under test
/// meets a disk that really fills up (ENOSPC where the kernel says, short writes included),
/// with no fault seam in the product. Mounting needs root; `isAvailable` says whether this
/// process can (tests that need it are skipped otherwise, and say why).
public final class SmallFileSystem {
    public let path: String
    private var filler: Int32 = -1

    /// Mount a tmpfs of `kilobytes` KiB at a fresh directory under the temporary directory.
    public init(kilobytes: Int) throws {
        path = NSTemporaryDirectory() + "mailferry-small-fs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.mountTmpfs(at: path, options: "size=\(kilobytes)k,mode=700") else {
            try? FileManager.default.removeItem(atPath: path)
            throw SmallFileSystemUnavailable()
        }
    }

    deinit {
        if filler >= 0 { close(filler) }
        Self.unmount(path)
        rmdir(path)
    }

    /// True if this process may mount a tmpfs (it is root).
    public static let isAvailable: Bool = {
        guard getuid() == 0 else { return false }
        return (try? SmallFileSystem(kilobytes: 64)) != nil
    }()

    /// Fill the file system: `<path>/filler` grows until a write is refused. Returns the
    /// octets written. What is left is the slack of the other files' last pages.
    @discardableResult
    public func fill() -> Int {
        if filler < 0 { filler = open(path + "/filler", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
        let chunk = [UInt8](repeating: 0x66, count: 4096)
        var total = 0
        for size in [chunk.count, 1] {
            while true {
                let count = chunk.withUnsafeBytes { write(filler, $0.baseAddress, size) }
                guard count > 0 else { break }
                total += count
            }
        }
        return total
    }

    /// Give back what `fill` took.
    public func drain() {
        if filler >= 0 { _ = ftruncate(filler, 0) }
    }

    /// Octets free, as statvfs reports them.
    public var freeBytes: Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    // mount(2) and umount2(2) themselves, not mount(8): no child process to wait for, so
    // neither the initializer nor deinit holds a thread while another program runs.
    private static func mountTmpfs(at path: String, options: String) -> Bool {
        #if canImport(Glibc)
        return options.withCString { mount("tmpfs", path, "tmpfs", 0, $0) } == 0
        #else
        return false
        #endif
    }

    private static func unmount(_ path: String) {
        #if canImport(Glibc)
        _ = umount2(path, 0)
        #endif
    }
}

/// The tmpfs could not be mounted (not root).
public struct SmallFileSystemUnavailable: Error, CustomStringConvertible {
    public var description: String { "cannot mount a tmpfs (needs root)" }
}
