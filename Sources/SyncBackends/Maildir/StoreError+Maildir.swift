import Glibc
import Maildir
import SyncEngine

extension StoreError {
    /// Classifies a Maildir failure for the engine. Nothing here is a dropped connection, so
    /// nothing is retried within the run except a lock that another process holds: the folder
    /// fails (reported, the next one goes on) and the next run starts it again.
    init(maildir error: MaildirError) {
        let message = error.description
        switch error.kind {
        case .lockTimeout:
            self.init(.connection, message)
        case .io:
            if error.errno == EACCES || error.errno == EPERM {
                self.init(.other, message + "; run mailferry as root (or as the owner of the Maildir)")
            } else {
                self.init(.other, message)
            }
        case .notAMaildir, .invalidFolderName, .unrepresentableFolderName, .uidValidityMismatch, .conflict:
            self.init(.folder, message)
        default:
            self.init(.other, message)
        }
    }

    /// Runs Maildir work, translating its failure for the engine.
    static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MaildirError {
            throw StoreError(maildir: error)
        }
    }
}
