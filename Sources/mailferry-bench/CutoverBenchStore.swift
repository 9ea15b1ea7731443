import Foundation

/// The cutover benchmark's mailboxes on disk: the corpus and the delta written into the old
/// store as delivered mail, and the census of a store by Subject (every message the benchmark
/// makes has a unique one).
struct CutoverBenchStore {
    let users: [String]
    let domain: String
    let messagesPerAccount: Int
    let deltaPerAccount: Int

    /// `messagesPerAccount` seen messages per account under `cur/`, about 3 KB each.
    func writeCorpus(root: String) throws {
        for user in users {
            for index in 0..<messagesPerAccount {
                try write(root: root, user: user, sub: "cur", subject: "corpus \(user) \(index)", flags: ":2,S")
            }
        }
    }

    /// The delta: `deltaPerAccount` new messages per account under `new/`, as if delivered
    /// (or changed by the users) after the bulk copy.
    func writeDelta(root: String) throws {
        for user in users {
            for index in 0..<deltaPerAccount {
                try write(root: root, user: user, sub: "new", subject: "delta \(user) \(index)", flags: "")
            }
        }
    }

    /// Every Subject the corpus and the delta put into the old store.
    var expectedSubjects: [String] {
        users.flatMap { user in
            (0..<messagesPerAccount).map { "corpus \(user) \($0)" } + (0..<deltaPerAccount).map { "delta \(user) \($0)" }
        }
    }

    private func write(root: String, user: String, sub: String, subject: String, flags: String) throws {
        let body = (0..<40).map { "Line \($0) of \(subject): the quick brown fox jumps over the lazy dog, again and again." }
            .joined(separator: "\n")
        let text = "Return-Path: <someone@ext.test>\nFrom: Someone <someone@ext.test>\nTo: \(user)@\(domain)\nSubject: \(subject)\n"
            + "Date: Sun, 06 Dec 2026 10:00:00 +0000\nMessage-ID: <\(subject.replacing(" ", with: "."))@ext.test>\n\n\(body)\n"
        let bytes = Data(text.utf8)
        let unique = "1765000000.M0P\(getpid()).bench-\(subject.replacing(" ", with: "-"))"
        let path = "\(root)/\(user)/\(sub)/\(unique),S=\(bytes.count)\(flags)"
        guard FileManager.default.createFile(atPath: path, contents: bytes) else {
            throw BenchError("could not write \(path)")
        }
    }

    /// Every message file's Subject in `root`'s accounts, with the file's modification time
    /// (for mail delivered by virtual(8): when it was written, just before its rename into
    /// `new/`).
    func census(root: String) -> [(subject: String, modified: Double)] {
        var result: [(String, Double)] = []
        for user in users {
            for sub in ["new", "cur"] {
                let directory = "\(root)/\(user)/\(sub)"
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                    let path = "\(directory)/\(name)"
                    guard let handle = FileHandle(forReadingAtPath: path) else { continue }
                    let head = String(decoding: (try? handle.read(upToCount: 4096)) ?? Data(), as: UTF8.self)
                    try? handle.close()
                    guard let line = head.split(separator: "\n").first(where: { $0.hasPrefix("Subject: ") }) else { continue }
                    let modified = ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                    result.append((String(line.dropFirst("Subject: ".count)).trimmingCharacters(in: .whitespacesAndNewlines), modified))
                }
            }
        }
        return result
    }
}
