import Cutover
import Foundation
import MailferryConfig

extension HostCutoverEffects {
    /// The forwarder's decommission criterion: no client logged in through it for
    /// `forward.login_quiet` since it started, read from the new server's log
    /// (``ForwardLoginWatch``). Nil without `[cutover.forward]` or with the criterion off.
    /// `waiting` says what is left (nil once quiet); `detail` names the logins for `status`,
    /// the users first, so the admin can tell whose client still names the old host.
    func forwardLoginCheck(records: [CutoverRecord]) async throws -> (waiting: String?, detail: String)? {
        guard let forward = config.forward, let watch = forwardLogins else { return nil }
        let since = Self.forwarderStarted(records) ?? CutoverState(records: records).switchedAt ?? now()
        let logins = try await watch.logins(since: since, now: now())
        let quiet = Double(forward.loginQuietDuration.components.seconds)
        guard let last = logins.last else {
            let detail = "no login through the forwarder since \(LogInstant(seconds: Int64(since)))"
            let ends = since + quiet
            return (now() < ends ? "\(detail); quiet for \(Int(quiet)) s ends in \(Int(ends - now())) s" : nil, detail)
        }
        let users = logins.users
        var names = users.prefix(5).map { "\($0.user ?? $0.remote) from \($0.remote)" }.joined(separator: ", ")
        if users.count > 5 { names += " and \(users.count - 5) more" }
        let detail = "\(logins.count) login(s) through the forwarder since \(LogInstant(seconds: Int64(since))) (\(names)); last \(last)"
        let ends = max(since, Double(last.time.microseconds) / 1_000_000) + quiet
        return (now() < ends ? "\(detail); quiet for \(Int(quiet)) s ends in \(Int(ends - now())) s" : nil, detail)
    }

    /// When start-forward last finished (wall-clock seconds).
    static func forwarderStarted(_ records: [CutoverRecord]) -> Double? {
        records.last {
            guard $0.step == .startForward, case .finished = $0.event else { return false }
            return true
        }?.at
    }
}
