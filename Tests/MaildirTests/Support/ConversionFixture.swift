import Glibc
import MailModel
@testable import Maildir

/// A Courier Maildir built in a temp directory from literal strings (`M/` in
/// maildir-formats.md §6), converted into `D/`, with helpers to read the results.
struct ConversionFixture {
    let directory = TemporaryDirectory()
    var sourceRoot: String { directory.path("M") }
    var destinationRoot: String { directory.path("D") }

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
            text = ConversionFixture.body(size: Int(name.sizeField ?? 64), seed: name.base)
        }
        return directory.write("M/" + relative, text!, mtime: mtime)
    }

    func sourceFolder(_ directoryName: String) {
        directory.maildir("M/" + directoryName)
        directory.write("M/\(directoryName)/maildirfolder")
    }

    func convert(
        layout: DovecotLayout = DovecotLayout(subscriptionsFormat: .version1), options: ConversionOptions = ConversionOptions(),
        decoding: FolderNameDecoding = .detect
    ) throws -> ConversionReport {
        let source = try CourierMaildir(root: sourceRoot, options: .init(folderNameDecoding: decoding))
        let converter = MaildirConverter(
            source: source, destinationRoot: destinationRoot, layout: layout, ownership: .currentProcess, options: options)
        return try converter.run()
    }

    /// `D/<relative>` as text, `nil` if missing.
    func destination(_ relative: String) -> String? { directory.read("D/" + relative) }

    func destinationNames(_ relative: String) -> [String] { directory.list("D/" + relative) }

    func remove() { directory.remove() }
}

extension ConversionReport {
    func codes(_ severity: MaildirDiagnostic.Severity? = nil) -> [MaildirDiagnostic.Code] {
        allDiagnostics.filter { severity == nil || $0.severity == severity }.map(\.code)
    }
}
