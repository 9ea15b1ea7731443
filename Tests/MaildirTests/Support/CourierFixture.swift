import MailModel
@testable import Maildir

/// A Courier Maildir built in a temp directory (`M/`) from literal strings.
struct CourierFixture {
    let directory = TemporaryDirectory()
    var sourceRoot: String { directory.path("M") }

    init() {
        directory.maildir("M")
    }

    /// A message file of exactly `size` bytes (so that `,S=` in its name is true).
    static func body(size: Int, seed: String = "x") -> String {
        var text = "Subject: \(seed)\n\n"
        while text.utf8.count < size { text += "line of \(seed)\n" }
        return String(decoding: Array(text.utf8).prefix(size), as: UTF8.self)
    }

    /// Write `M/<relative>`; message files named with `,S=<n>` get n bytes.
    @discardableResult
    func source(_ relative: String, _ content: String? = nil, mtime: Int64 = 1_700_000_000) -> String {
        var text = content
        if text == nil {
            let name = MaildirFilename(FileSystem.lastComponent(relative))
            text = CourierFixture.body(size: Int(name.sizeField ?? 64), seed: name.base)
        }
        return directory.write("M/" + relative, text!, mtime: mtime)
    }

    func remove() { directory.remove() }
}
