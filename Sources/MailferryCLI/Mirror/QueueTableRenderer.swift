import MailSpool

/// The human table of `mailferry mirror queue`.
enum QueueTableRenderer {
    static func render(_ entries: [SpoolEntry], now: Double) -> String {
        guard !entries.isEmpty else { return "Mirror queue is empty.\n" }
        var out = ""
        var waiting = 0
        for entry in entries {
            let age = formatDuration(now - entry.envelope.receivedAt)
            let next = entry.held ? "on hold" : entry.nextAttemptAt.map { $0 > now ? "next try in \(formatDuration($0 - now))" : "due now" } ?? "not tried yet"
            out += "\(entry.id)  \(formatSize(entry.bodyLength))  age \(age)  attempts \(entry.attempts)  \(next)\n"
            for index in entry.envelope.recipients.indices {
                let state = entry.states[index]
                if !state.isFinal { waiting += 1 }
                let reply = entry.lastReplies.indices.contains(index) ? entry.lastReplies[index] : ""
                out += "    \(entry.envelope.recipients[index])  \(state.rawValue)\(reply.isEmpty ? "" : ": \(reply)")\n"
            }
        }
        let held = entries.filter(\.held).count
        out += "-- \(entries.count) message\(entries.count == 1 ? "" : "s") queued\(held > 0 ? " (\(held) on hold)" : ""), \(waiting) recipient\(waiting == 1 ? "" : "s") waiting\n"
        return out
    }

    static func formatDuration(_ seconds: Double) -> String {
        let value = Int(max(0, seconds))
        if value < 60 { return "\(value)s" }
        if value < 3600 { return "\(value / 60)m" }
        if value < 86_400 { return "\(value / 3600)h\(value % 3600 / 60)m" }
        return "\(value / 86_400)d\(value % 86_400 / 3600)h"
    }

    static func formatSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes)B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024)K" }
        return "\(bytes / (1024 * 1024))M"
    }
}
