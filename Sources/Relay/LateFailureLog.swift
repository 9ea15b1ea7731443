import Foundation
import MailSpool

/// `late-failures.jsonl` in the spool directory: the notifications the new server sent
/// about copies it had accepted, one JSON line per reported recipient. Appended and
/// fdatasynced before the mirror answers 250 to the notification; read by `mirror report`.
public struct LateFailureLog: Sendable {
    public static let fileName = "late-failures.jsonl"
    public let path: String

    public init(spoolDirectory: String) {
        path = (spoolDirectory.hasSuffix("/") ? String(spoolDirectory.dropLast()) : spoolDirectory) + "/" + Self.fileName
    }

    /// Append `records` durably (one write, then fdatasync). Blocks: call through `BlockingIO`.
    public func append(_ records: [LateFailure]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for record in records { bytes += try encoder.encode(record) + [10] }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RelayFileError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw RelayFileError("cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
        guard fdatasync(descriptor) == 0 else { throw RelayFileError("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Every record; a line torn by a crash (no 250 was given for it) is skipped.
    public func records() throws -> [LateFailure] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw RelayFileError("cannot read \(path)") }
            return []
        }
        return data.split(separator: 10).compactMap { try? JSONDecoder().decode(LateFailure.self, from: Data($0)) }
    }
}
