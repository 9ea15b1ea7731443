import Cutover
import Testing

struct ShellQuoteTests {
    @Test(arguments: [
        ("postconf", "postconf"),
        ("transport_maps=regexp:/etc/postfix/mailferry/cutover-transport.regexp", "transport_maps=regexp:/etc/postfix/mailferry/cutover-transport.regexp"),
        ("", "''"),
        ("a b", "'a b'"),
        ("it's", #"'it'\''s'"#),
        ("$HOME;rm", "'$HOME;rm'"),
        ("{echo x; exit 75}", "'{echo x; exit 75}'"),
    ])
    func quotesOnlyWhatAShellWouldInterpret(word: String, quoted: String) {
        #expect(ShellQuote.quote(word) == quoted)
    }
}
