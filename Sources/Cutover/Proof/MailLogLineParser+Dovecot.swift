import Foundation

extension MailLogLineParser {
    /// A Dovecot delivery line: `lmtp(USER)<PID><SESSION>` (2.3) or `lmtp(PID, USER)` with the
    /// session as the body's first word (2.2), then `Info: msgid=<x>: saved mail to FOLDER`,
    /// Sieve's `sieve: msgid=<x>: stored mail into mailbox 'FOLDER'`, or another action.
    static func dovecot(prefix: Substring, body: Substring) -> MailLogEvent? {
        guard let open = prefix.firstIndex(of: "("), let close = prefix.firstIndex(of: ")"), open < close else {
            return dovecotLogin(service: prefix, body: body) ?? .other
        }
        let service = prefix[..<open]
        guard service == "lmtp" || service == "lda" else { return .other }
        let inside = prefix[prefix.index(after: open)..<close]
        var user = inside
        var session = ""
        var message = body
        if let comma = inside.range(of: ", ") {
            user = inside[comma.upperBound...]
        }
        let groups = prefix[prefix.index(after: close)...].split(separator: ">").map { $0.drop { $0 == "<" } }
        if groups.count >= 2 { session = String(groups[1]) }
        var failed = false
        if let level = message.range(of: ": "), ["Info", "Error", "Warning", "Fatal", "Panic"].contains(message[..<level.lowerBound]) {
            failed = message[..<level.lowerBound] != "Info"
            message = message[level.upperBound...]
        }
        if session.isEmpty, let colon = message.range(of: ": msgid=") {
            session = String(message[..<colon.lowerBound])
            message = message[message.index(after: colon.lowerBound)...].drop { $0 == " " }
        }
        if message.hasPrefix("sieve: ") { message = message.dropFirst("sieve: ".count) }
        guard message.hasPrefix("msgid=") else { return .other }
        let afterID = message.dropFirst("msgid=".count)
        for (marker, quoted) in [(": saved mail to ", false), (": stored mail into mailbox ", true)] {
            if let range = afterID.range(of: marker) {
                var folder = afterID[range.upperBound...]
                if quoted || (folder.hasPrefix("'") && folder.hasSuffix("'")), folder.count >= 2 {
                    folder = folder.dropFirst().dropLast()
                }
                return .dovecotSaved(user: String(user), session: session, messageID: String(afterID[..<range.lowerBound]),
                                     folder: String(folder))
            }
        }
        guard let colon = afterID.range(of: ": ") else { return nil }
        let action = afterID[colon.upperBound...]
        failed = failed || action.contains("failed") || action.hasPrefix("rejected")
        return .dovecotOther(user: String(user), session: session, messageID: String(afterID[..<colon.lowerBound]),
                             action: String(action.prefix(500)), failed: failed)
    }

    /// A login process's `Login: user=<U>, method=M, rip=R, lip=L, ...` line (after the
    /// service's `imap-login: ` and an optional `Info: `); nil for any other line.
    static func dovecotLogin(service: Substring, body: Substring) -> MailLogEvent? {
        guard service.hasSuffix("-login") else { return nil }
        var message = body
        if message.hasPrefix("Info: ") { message = message.dropFirst("Info: ".count) }
        guard message.hasPrefix("Login: user=<") else { return nil }
        let afterUser = message.dropFirst("Login: user=<".count)
        // A user name may hold anything but `>`; the fields after it are searched from there.
        guard let close = afterUser.firstIndex(of: ">") else { return nil }
        let fields = afterUser[close...]
        func field(_ name: String) -> String? {
            guard let start = fields.range(of: " \(name)=") else { return nil }
            let value = fields[start.upperBound...].prefix { $0 != "," && $0 != " " }
            return value.isEmpty ? nil : String(value)
        }
        guard let remote = field("rip") else { return nil }
        return .login(service: String(service.dropLast("-login".count)), user: String(afterUser[..<close]), remote: remote, local: field("lip"))
    }
}
