import Testing
@testable import Maildir

@Suite("Maildir++ folder names")
struct MaildirFolderNameTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let directory: String
        let decoding: FolderNameDecoding
        let levels: [String]?
        let encoding: FolderNameEncoding?
        var testDescription: String { "\(directory) \(decoding)" }
    }

    @Test(arguments: [
        Row(directory: ".Sent", decoding: .detect, levels: ["Sent"], encoding: nil),
        Row(directory: ".Sent.2023", decoding: .detect, levels: ["Sent", "2023"], encoding: nil),
        Row(directory: ".Résumé", decoding: .detect, levels: ["Résumé"], encoding: .utf8),
        Row(directory: ".R&AOk-sum&AOk-", decoding: .detect, levels: ["Résumé"], encoding: .modifiedUTF7),
        Row(directory: ".AT&T", decoding: .detect, levels: ["AT&T"], encoding: .utf8),
        Row(directory: ".AT&-T", decoding: .detect, levels: ["AT&T"], encoding: .modifiedUTF7),
        Row(directory: ".R&AOk-sum&AOk-", decoding: .utf8, levels: ["R&AOk-sum&AOk-"], encoding: nil),
        Row(directory: ".AT&T", decoding: .modifiedUTF7, levels: nil, encoding: nil),
        Row(directory: ".Entw&APw-rfe.Alt", decoding: .modifiedUTF7, levels: ["Entwürfe", "Alt"], encoding: .modifiedUTF7),
        Row(directory: ".a..b", decoding: .detect, levels: nil, encoding: nil),
        Row(directory: ".a.", decoding: .detect, levels: nil, encoding: nil),
        Row(directory: ".", decoding: .detect, levels: nil, encoding: nil),
        Row(directory: "Sent", decoding: .detect, levels: nil, encoding: nil),
        Row(directory: ".a&AAk-b", decoding: .detect, levels: nil, encoding: nil),
    ])
    func decode(_ row: Row) {
        let result = try? MaildirFolderName.decode(directoryName: row.directory, decoding: row.decoding, path: "/m/" + row.directory)
        #expect(result?.levels == row.levels)
        if row.levels != nil { #expect(result?.encoding == row.encoding) }
    }

    @Test func encodeForEachTarget() throws {
        #expect(try MaildirFolderName.directoryName(levels: ["Résumé"], encoding: .modifiedUTF7) == ".R&AOk-sum&AOk-")
        #expect(try MaildirFolderName.directoryName(levels: ["Résumé"], encoding: .utf8) == ".Résumé")
        #expect(try MaildirFolderName.directoryName(levels: ["AT&T"], encoding: .modifiedUTF7) == ".AT&-T")
        #expect(try MaildirFolderName.directoryName(levels: ["AT&T"], encoding: .utf8) == ".AT&T")
        #expect(try MaildirFolderName.directoryName(levels: ["Sent", "2023"], encoding: .modifiedUTF7) == ".Sent.2023")
    }

    @Test(arguments: [["a.b"], ["a/b"], [""], ["x\u{01}"], []])
    func unrepresentable(_ levels: [String]) {
        #expect(throws: MaildirError.self) { try MaildirFolderName.directoryName(levels: levels, encoding: .modifiedUTF7) }
    }
}
