import Foundation

extension ForwardFile {
    /// The Sieve `vacation` action that answers as `|vacation user` does with `message` (the
    /// user's `~/.vacation.msg`): vacation(1) answers each sender once a week by default,
    /// with the file's Subject and From headers and its body. nil when the command has
    /// options (another interval, aliases), or the message has other headers or vacation's
    /// `$SUBJECT`, which Sieve's vacation cannot say the same way.
    static func vacationAction(command: String, message: String) -> String? {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2, words[0] == "vacation" || words[0].hasSuffix("/vacation"), !words[1].hasPrefix("-"),
              !message.contains("$SUBJECT"), !message.contains("\r")
        else { return nil }
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var subject: String?
        var from: String?
        // Headers, when the file starts with one, end at the first empty line.
        if let first = lines.first, first.range(of: "^[A-Za-z-]+:", options: .regularExpression) != nil {
            while let line = lines.first, !line.isEmpty {
                lines.removeFirst()
                guard let colon = line.firstIndex(of: ":") else { return nil }
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch line[..<colon].lowercased() {
                case "subject": subject = value
                case "from": from = value
                case "precedence": continue  // Sieve's vacation marks its replies itself (RFC 5230 5.x).
                default: return nil
                }
            }
            if !lines.isEmpty { lines.removeFirst() }
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let body = lines.joined(separator: "\n")
        guard !body.isEmpty else { return nil }
        var action = "vacation :days 7"
        if let subject { action += " :subject \(DeliveryFilter.sieveString(subject))" }
        if let from { action += " :from \(DeliveryFilter.sieveString(from))" }
        return action + " \(DeliveryFilter.sieveString(body));"
    }
}
