import Glibc

extension CourierMaildir {
    /// Courier's private namespace: every folder is `INBOX.<levels>`.
    public static let namespacePrefix = "INBOX."
    public static let separator: Character = MaildirFolderName.separator

    /// Open a message for streaming. A running Courier renames a file when its flags
    /// change (and moves `new/` files to `cur/`), so when the recorded path is gone the
    /// file is looked up again by base name; `nil` when it is gone (expunged).
    public func openMessage(_ message: CourierMessage, in folder: CourierFolderEntry) throws(MaildirError) -> MessageFileReader? {
        do throws(MaildirError) {
            return try MessageFileReader(path: message.path)
        } catch where error.errno == ENOENT {
            let scan = try MessageDirectoryScanner.scan(folder: folder.path)
            guard let current = scan.entries.first(where: { $0.base == message.base }) else { return nil }
            do throws(MaildirError) {
                return try MessageFileReader(path: FileSystem.join(folder.path, current.relativePath))
            } catch where error.errno == ENOENT {
                return nil
            }
        }
    }

    /// Messages in `cur/` and `new/`, counted without `stat` (for progress and ETA).
    public func messageCount(_ folder: CourierFolderEntry) throws(MaildirError) -> Int {
        var count = 0
        for sub in ["cur", "new"] {
            count += (try FileSystem.entries(of: FileSystem.join(folder.path, sub)))?.names.filter { !$0.hasPrefix(".") }.count ?? 0
        }
        return count
    }
}
