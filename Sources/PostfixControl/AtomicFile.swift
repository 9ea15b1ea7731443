public import Foundation
import DurableFile

/// Durable replacement of a Postfix file (a map, main.cf, a backup) through mailferry's one
/// durable-file writer: Postfix never reads a half-written map, and after a crash the backup
/// that `postfix restore` depends on is the old one or the whole new one, never empty.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: Int = 0o644) throws {
        do {
            try DurableFile.replace(path, with: data, options: DurableFile.Options(mode: UInt32(permissions)))
        } catch {
            throw PostfixError(error.description)
        }
    }
}
