import Testing
@testable import MailTestSupport

@Suite struct SecretsSearchTests {
    @Test(arguments: [
        ("secret", "a secret here", true),
        ("secret", "secre", false),
        ("secret", "sesecret", true),
        ("", "anything", false),
        ("abc", "abab abc", true),
        ("abc", "ababab", false),
    ])
    func findsExactlyTheBytes(needle: String, haystack: String, found: Bool) {
        #expect(SecretsSearch.contains(Array(haystack.utf8), Array(needle.utf8)) == found)
    }
}
