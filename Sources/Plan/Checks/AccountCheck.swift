import MailModel
import Migration
import SyncEngine

/// The accounts part of `mailferry plan`: every account of the config reached on both
/// servers through the stores `sync` itself uses (same URLs, passwords, master user, TLS),
/// so a login that fails here fails in the sync too. Read-only: the old side is read as
/// `verify` reads it (folders listed, every message's size), the new side only logged in to.
public struct AccountCheck: Sendable {
    public var jobs: [AccountJob]
    /// Whether the destination is a store with a login (IMAP); a `maildir:` destination is
    /// not opened, because opening it may create its directories.
    public var checkDestination: Bool
    /// Accounts checked at once.
    public var parallel: Int

    public init(jobs: [AccountJob], checkDestination: Bool, parallel: Int) {
        self.jobs = jobs
        self.checkDestination = checkDestination
        self.parallel = max(1, parallel)
    }

    public struct Result: Sendable {
        public var findings: [PlanFinding] = []
        public var accounts: [AccountPlan] = []
    }

    public func run() async -> Result {
        var plans = [AccountPlan?](repeating: nil, count: jobs.count)
        await withTaskGroup(of: (Int, AccountPlan).self) { group in
            var next = 0
            func startNext() {
                guard next < jobs.count else { return }
                let index = next
                let job = jobs[index]
                let checkDestination = checkDestination
                group.addTask { (index, await Self.check(job, checkDestination: checkDestination)) }
                next += 1
            }
            for _ in 0..<parallel { startNext() }
            while let (index, plan) = await group.next() {
                plans[index] = plan
                startNext()
            }
        }
        var result = Result()
        result.accounts = plans.compactMap { $0 }
        for plan in result.accounts { result.findings += Self.findings(plan) }
        return result
    }

    static func check(_ job: AccountJob, checkDestination: Bool) async -> AccountPlan {
        var plan = AccountPlan(account: job.name)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let (folders, messages, bytes) = try await job.source.withSession { (reader: any MailboxReader) -> (Int, Int, Int) in
                var folders = 0, messages = 0, bytes = 0
                for listing in try await reader.listFolders() where listing.isSelectable && listing.nameError == nil {
                    folders += 1
                    let status = try await reader.open(listing.name)
                    guard status.messageCount > 0 else { continue }
                    let summaries = try await reader.summaries(.all)
                    messages += summaries.count
                    bytes += summaries.reduce(0) { $0 + $1.size }
                }
                return (folders, messages, bytes)
            }
            plan.sourceFolders = folders
            plan.sourceMessages = messages
            plan.sourceBytes = bytes
            let elapsed = start.duration(to: clock.now).components
            plan.readSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        } catch {
            plan.sourceError = "\(error)"
        }
        if checkDestination {
            plan.destinationChecked = true
            do {
                _ = try await job.destination.withSession { (writer: any MailboxWriter) -> Int in try await writer.listFolders().count }
            } catch {
                plan.destinationError = "\(error)"
            }
        }
        return plan
    }

    static func findings(_ plan: AccountPlan) -> [PlanFinding] {
        var findings: [PlanFinding] = []
        if let error = plan.sourceError {
            findings.append(PlanFinding(area: "accounts", subject: plan.account, severity: .blocker,
                                        message: "cannot read the account on the old server: \(error)",
                                        action: "Fix the password file, the account or the server address in the config; sync would fail the same way."))
        }
        if let error = plan.destinationError {
            findings.append(PlanFinding(area: "accounts", subject: plan.account, severity: .blocker,
                                        message: "cannot log in on the new server: \(error)",
                                        action: "Create the account on the new server, or check the master user and its password file."))
        }
        if plan.sourceError == nil && plan.destinationError == nil, let messages = plan.sourceMessages, let bytes = plan.sourceBytes {
            let destination = plan.destinationChecked ? "; logs in on the new server" : ""
            findings.append(PlanFinding(area: "accounts", subject: plan.account, severity: .ok,
                                        message: "\(messages) messages, \(ByteFormatting.size(bytes)) in \(plan.sourceFolders ?? 0) folders on the old server\(destination)"))
        }
        return findings
    }
}
