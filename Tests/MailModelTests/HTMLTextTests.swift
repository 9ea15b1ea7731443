import MailModel
import Testing

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("plain text, ünïcode 📬", "plain text, ünïcode 📬"),
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        ("a \"quoted\" & 'single'", "a &quot;quoted&quot; &amp; &#39;single&#39;"),
        ("&amp; stays visible", "&amp;amp; stays visible"),
        ("tab\tline\nreturn\rnul\u{0}esc\u{1B}", "tab&#9;line&#10;return&#13;nul&#0;esc&#27;"),
        ("e\u{301} combining", "e\u{301} combining"),
        ("", ""),
    ])
    func escapesMarkupAndControls(_ text: String, _ expected: String) {
        #expect(HTMLText.escape(text) == expected)
    }

    /// Every report renders hostile text through the one function: an attribute value or an
    /// element cannot be closed from inside.
    @Test func noMarkupCharacterSurvives() {
        let hostile = "\"><img src=x onerror=alert(1)>'\u{7}"
        let escaped = HTMLText.escape(hostile)
        #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"))
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 })
    }
}
