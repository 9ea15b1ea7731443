import Relay

/// The human text of `mailferry mirror report`.
enum MirrorReportRenderer {
    static func render(_ report: MirrorReport) -> String {
        var out = "Mirror report\n"
        out += "  messages finished:        \(report.finishedMessages)\n"
        out += "  copies accepted:          \(report.delivered)\n"
        out += "  copies refused/expired:   \(report.failed)\n"
        out += "  accepted, failed later:   \(report.failedLater)\n"
        out += "  messages still queued:    \(report.queuedMessages) (\(report.waitingRecipients) recipient\(report.waitingRecipients == 1 ? "" : "s") waiting)\n"
        guard report.hasProblems else {
            return out + "\nNo problems: the new server accepted every copy it was given.\n"
        }
        out += "\nProblems:\n"
        for group in report.problems {
            let messages = "\(group.messages) message\(group.messages == 1 ? "" : "s")"
            switch group.verdict {
            case "rejected": out += "  new server rejected \(messages) for \(group.recipient): \(group.reply)\n"
            case "expired": out += "  gave up on \(messages) for \(group.recipient): \(group.reply)\n"
            case "failed-later": out += "  new server accepted, then failed \(messages) for \(group.recipient): \(group.reply)\n"
            case "delayed-later": out += "  new server accepted, then delayed \(messages) for \(group.recipient): \(group.reply)\n"
            case "not-sent": out += "  mirror did not send \(messages) for \(group.recipient) (the new server lacks an extension): \(group.reply)\n"
            default: out += "  still waiting: \(messages) for \(group.recipient): \(group.reply)\n"
            }
        }
        return out
    }
}
