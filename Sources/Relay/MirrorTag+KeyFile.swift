import Crypto
import DurableFile
import Foundation
import MailModel

/// The tag key lives with the spool: the mirror makes it on first use, `mirror purge` reads it.
extension MirrorTag {
    /// The key's file name inside the spool directory.
    public static let keyFileName = "mirror-tag.key"

    /// The key file of the spool at `spoolDirectory`.
    public static func keyPath(spoolDirectory: String) -> String {
        (spoolDirectory.hasSuffix("/") ? String(spoolDirectory.dropLast()) : spoolDirectory) + "/" + keyFileName
    }

    /// The mirror's tag key, created on first use: 32 random octets as hex, mode 0600, made
    /// with ``DurableFile/create(_:with:options:)`` (never half-written, never replaced: a new
    /// key would orphan every copy already tagged; if another process made the key meanwhile,
    /// that key is the one).
    public static func loadOrCreate(spoolDirectory: String) throws -> MirrorTag {
        let path = keyPath(spoolDirectory: spoolDirectory)
        if FileManager.default.fileExists(atPath: path) { return try load(keyFile: path) }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        do {
            try DurableFile.create(path, with: Array((LowercaseHex.string(key) + "\n").utf8), options: DurableFile.Options(mode: 0o600))
        } catch {
            throw RelayFileError("cannot create the tag key: \(error)")
        }
        return try load(keyFile: path)
    }

    /// Read a key file (never creates one). Refuses a file others may read: whoever has the
    /// key can make tags that purge accepts.
    public static func load(keyFile path: String) throws -> MirrorTag {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw RelayFileError("cannot read the tag key \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw RelayFileError("the tag key \(path) is readable by others; chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw RelayFileError("cannot read the tag key \(path)") }
        let digits = Array(data.reversed().drop { $0 == 10 || $0 == 13 || $0 == 32 || $0 == 9 }.reversed())
        guard digits.count == 64, let key = unhex(String(decoding: digits, as: UTF8.self)) else {
            throw RelayFileError("\(path) is not a mailferry tag key (64 hex digits)")
        }
        return MirrorTag(key: key)
    }

    static func unhex(_ text: String) -> [UInt8]? {
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for index in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }
}
