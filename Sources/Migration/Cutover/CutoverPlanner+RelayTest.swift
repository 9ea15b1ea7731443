import Cutover
import MailferryConfig

extension CutoverPlanner {
    /// What `test-relay` runs and sends, for `cutover plan` (the token is made when it runs).
    func relayTestLines(current: [String: String]) -> [String] {
        let config = session.cutover
        let old = hosts.oldPostfix
        func argv(_ argv: [String]) -> String { HostCommand(argv).description }
        var lines = [argv(["/usr/sbin/postconf", "-c", old.configDirectory, "-h", "myhostname"]),
                     argv(["/usr/sbin/postconf", "-c", hosts.newPostfix.configDirectory, "-h", "myhostname"]) + "   must differ"]
        if let without = config.relayTestWithout { return lines + ["no test messages: \(without)"] }
        let test = config.relayTest(token: "TOKEN")
        lines.append("old: a route for \(RelayTest.routeAddress) only, to the relay listener with that address rewritten to \(test.recipient):")
        for change in test.installRoute(current: current, mailferryDirectory: old.mailferryDirectory) {
            lines += change.commands(in: old).map { "  " + $0 }
        }
        for sample in test.samples {
            let postfix = sample.direction == .oldToNew ? old : hosts.newPostfix
            lines.append("\(sample.direction == .oldToNew ? "old" : "new"): " + argv(test.sendmail(sample, on: postfix))
                + "   (\(sample); Message-ID \(sample.messageID), \(RelayTest.header): TOKEN)")
        }
        lines.append("read \(config.old.mailLog ?? "") (old) and \(config.new.mailLog ?? "") (new) until each message was sent by smtp(8) "
            + "and queued by the peer from the network, at most \(Int(config.relayTestTimeout.components.seconds)) s; any deferral, bounce or refusal fails the step")
        lines.append("old: the route removed again:")
        for change in test.removeRouteAfterInstall(current: current, mailferryDirectory: old.mailferryDirectory) {
            lines += change.commands(in: old).map { "  " + $0 }
        }
        lines.append("both: " + argv(["/usr/sbin/postsuper", "-c", "DIR", "-d", "-"]) + "   reading the queue id of each test message still queued (only those)")
        return lines
    }
}
