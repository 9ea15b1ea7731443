/// Lists the message files of a folder's `cur/` and `new/` with their `stat` data.
///
/// Hidden names (leading `.`) are skipped, as both servers do. A server may move or
/// rename files while the scan runs: a file that vanished from `new/` is looked for in
/// `cur/` under `<name>:2,` (where Courier moves it), and any other file that vanished is
/// left for the next run and reported.
enum MessageDirectoryScanner {
    static func scan(folder path: String) throws(MaildirError) -> (entries: [MaildirFileEntry], diagnostics: [MaildirDiagnostic]) {
        var entries: [MaildirFileEntry] = []
        var diagnostics: [MaildirDiagnostic] = []
        var seen: Set<String> = []
        for location in [MaildirFileEntry.Location.cur, .new] {
            let directory = FileSystem.join(path, location.rawValue)
            guard let listing = try FileSystem.entries(of: directory) else {
                if location == .cur {
                    throw MaildirError(.notAMaildir, path: path, detail: "no cur/ directory")
                }
                continue
            }
            for bytes in listing.undecodable {
                diagnostics.append(MaildirDiagnostic(
                    .error, .unreadableFileName, path: directory,
                    "a file name is not UTF-8 (\(bytes.count) bytes: \(escaped(bytes))); it is not copied, rename it and re-run"))
            }
            for name in listing.names.sorted() where !name.hasPrefix(".") {
                var file = FileSystem.join(directory, name)
                var entryLocation = location
                var entryName = name
                var status = try FileSystem.status(file)
                if status == nil, location == .new {
                    entryName = name + ":2,"
                    file = FileSystem.join(FileSystem.join(path, "cur"), entryName)
                    entryLocation = .cur
                    status = try FileSystem.status(file)
                }
                guard let status else {
                    diagnostics.append(MaildirDiagnostic(
                        .info, .skippedLine, path: FileSystem.join(directory, name), "vanished during the scan; the next run picks it up"))
                    continue
                }
                guard status.isRegularFile else {
                    diagnostics.append(MaildirDiagnostic(.warning, .skippedLine, path: file, "not a regular file; skipped"))
                    continue
                }
                guard MaildirFilename.isValid(entryName) else {
                    diagnostics.append(MaildirDiagnostic(.error, .unreadableFileName, path: file, "unusable file name; not copied"))
                    continue
                }
                let key = entryLocation.rawValue + "/" + entryName
                guard seen.insert(key).inserted else { continue }
                entries.append(MaildirFileEntry(
                    location: entryLocation, name: entryName, size: status.size,
                    modificationTime: status.modificationSeconds, changeTime: status.changeSeconds))
            }
        }
        return (entries, diagnostics)
    }

    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { $0 >= 0x21 && $0 < 0x7F ? String(Unicode.Scalar($0)) : "\\x" + String($0, radix: 16) }.joined()
    }
}
