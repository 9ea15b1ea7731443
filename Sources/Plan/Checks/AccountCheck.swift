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
    /// The sync's folder rules (`[folders]`): the folder plan is made with them.
    public var rules: MappingRules
    /// The timed sample for the bulk copy's and the freeze's estimates, after every account
    /// was read (it picks the largest); nil: no sample, the estimates fall back to benchmarks.
    public var sample: TimingSample?

    public init(jobs: [AccountJob], checkDestination: Bool, parallel: Int, rules: MappingRules = MappingRules(), sample: TimingSample? = nil) {
        self.jobs = jobs
        self.checkDestination = checkDestination
        self.parallel = max(1, parallel)
        self.rules = rules
        self.sample = sample
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
                let rules = rules
                group.addTask { (index, await Self.check(job, checkDestination: checkDestination, rules: rules)) }
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
        if let sample { await sample.run(jobs: jobs, plans: &result.accounts) }
        for plan in result.accounts { result.findings += Self.findings(plan) }
        return result
    }

    static func check(_ job: AccountJob, checkDestination: Bool, rules: MappingRules) async -> AccountPlan {
        var plan = AccountPlan(account: job.name)
        let clock = ContinuousClock()
        let start = clock.now
        var source: (hierarchy: StoreHierarchy, listing: [FolderListing])?
        do {
            let read = try await job.source.withSession { (reader: any MailboxReader) -> (StoreHierarchy, [FolderListing], Int, Int, Int) in
                let hierarchy = try await reader.hierarchy()
                let listed = try await reader.listFolders()
                var folders = 0, messages = 0, bytes = 0
                for listing in listed where listing.isSelectable && listing.nameError == nil {
                    folders += 1
                    let status = try await reader.open(listing.name)
                    guard status.messageCount > 0 else { continue }
                    let summaries = try await reader.summaries(.all)
                    messages += summaries.count
                    bytes += summaries.reduce(0) { $0 + $1.size }
                }
                return (hierarchy, listed, folders, messages, bytes)
            }
            source = (read.0, read.1)
            plan.sourceFolders = read.2
            plan.sourceMessages = read.3
            plan.sourceBytes = read.4
            let elapsed = start.duration(to: clock.now).components
            plan.readSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        } catch {
            plan.sourceError = "\(error)"
        }
        // The destination's hierarchy and folders, for the folder plan: an IMAP destination is
        // logged in to (the login check); a `maildir:` one is only read (hierarchy() and
        // listFolders() create nothing), and a failure there only leaves the plan out.
        var destination: (hierarchy: StoreHierarchy, listing: [FolderListing])?
        do {
            destination = try await job.destination.withSession { (writer: any MailboxWriter) -> (StoreHierarchy, [FolderListing]) in
                (try await writer.hierarchy(), try await writer.listFolders())
            }
        } catch where checkDestination {
            plan.destinationError = "\(error)"
        } catch {}
        plan.destinationChecked = checkDestination
        if let source, let destination {
            // The sync's own folder plan, and its own split into folders it refuses.
            let folderPlan = FolderMapper(sourceHierarchy: source.hierarchy, destinationHierarchy: destination.hierarchy, rules: rules)
                .plan(source: source.listing, destination: destination.listing)
            let split = folderPlan.refusingFolders()
            plan.refusedFolders = split.refused.map { RefusedFolder(folder: $0.sourceFolder, reason: $0.error ?? "refused") }
                + split.problems.map { RefusedFolder(folder: "", reason: $0.description) }
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
        let refused = plan.refusedFolders ?? []
        if let problem = refused.first(where: \.folder.isEmpty) {
            findings.append(PlanFinding(area: "folders", subject: plan.account, severity: .blocker,
                                        message: "the sync would refuse the whole account: \(problem.reason)",
                                        action: "Fix the rule in [folders] (or the --map options)."))
        }
        for folder in refused where !folder.folder.isEmpty {
            findings.append(PlanFinding(area: "folders", subject: "\(plan.account): \(folder.folder)", severity: .blocker,
                                        message: "the sync would refuse this folder, and its messages would stay on the old server: \(folder.reason)",
                                        action: "Add a [folders] map rule that gives it a name the new server can hold, or exclude it after moving its mail by hand."))
        }
        if plan.sourceError == nil && plan.destinationError == nil, let messages = plan.sourceMessages, let bytes = plan.sourceBytes {
            let destination = plan.destinationChecked ? "; logs in on the new server" : ""
            findings.append(PlanFinding(area: "accounts", subject: plan.account, severity: .ok,
                                        message: "\(messages) messages, \(ByteFormatting.size(bytes)) in \(plan.sourceFolders ?? 0) folders on the old server\(destination)"))
        }
        return findings
    }
}
