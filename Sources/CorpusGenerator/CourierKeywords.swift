/// Courier's `courierimapkeywords/:list` (maildir-formats.md §2.2): the keyword names, one
/// per line, an empty line, then `<base>:<index> <index>...` for each message that has
/// keywords. `base` is the file name without its `:2,...` info.
enum CourierKeywords {
    static func list(_ messages: [(base: String, keywords: [String])]) -> String {
        var names: [String] = []
        var index: [String: Int] = [:]
        for message in messages {
            for keyword in message.keywords where index[keyword.lowercased()] == nil {
                index[keyword.lowercased()] = names.count
                names.append(keyword)
            }
        }
        var text = names.map { $0 + "\n" }.joined() + "\n"
        for message in messages {
            let numbers = message.keywords.compactMap { index[$0.lowercased()] }.map(String.init)
            text += message.base + ":" + numbers.joined(separator: " ") + "\n"
        }
        return text
    }
}
