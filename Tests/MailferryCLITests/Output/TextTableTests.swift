import Testing

@testable import MailferryCLI

@Suite struct TextTableTests {
    @Test(arguments: [("abc", 3), ("日本語", 6), ("Entwürfe", 8), ("e\u{301}", 1), ("", 0)])
    func displayWidth(text: String, width: Int) {
        #expect(TextTable.displayWidth(text) == width)
    }

    @Test func columnsLineUpWithWideCharacters() {
        var table = TextTable(header: ["folder", "n"])
        table.rows = [["日本語", "1"], ["INBOX", "22"]]
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.map(TextTable.displayWidth).allSatisfy { $0 == TextTable.displayWidth(lines[0]) })
    }
}
