import MailModel
import MailTestSupport
import Testing

@testable import SyncEngine

/// The account state machine without sessions, a state store or time: fixture tables of
/// events in, the actions each returns out (written as text for a readable table).
@Suite struct AccountMachineTests {
    typealias Machine = AccountMachine<TestClock.Instant>

    static let dropped = StoreError(.connection, "connection reset")
    static let refused = StoreError(.authentication, "bad password")
    static let unreadable = StoreError(.folder, "cannot select")

    enum Step {
        case started
        case bound
        case opened(Int)
        case planned(Int)
        case plannedWithInvalidRule(Int)
        case assessed(Int, wantsHelp: Bool)
        case done(Int, String)
        case subscribed(Int, added: Int)
        case failed(Int, any Error, at: Int)
        case deadline(Int, at: Double)
    }

    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var workers = 1
        var maxAttempts = 4
        var dryRun = false
        var folders: [(name: String, count: Int, subscribed: Bool, subscribedThere: Bool)] = [
            ("INBOX", 5, false, false), ("Sent", 3, false, false),
        ]
        /// Each event and the actions it must return.
        var steps: [(Step, [String])]
        var testDescription: String { name }
    }

    static func options(_ scenario: Scenario) -> SyncOptions {
        var options = SyncOptions()
        options.maxAttempts = scenario.maxAttempts
        options.initialBackoff = .seconds(1)
        options.maxBackoff = .seconds(5)
        options.dryRun = scenario.dryRun
        return options
    }

    static func plan(_ scenario: Scenario, invalidRule: Bool = false) -> FolderPlan {
        let mappings = scenario.folders.map { folder in
            FolderMapping(
                source: FolderListing(name: MailboxName(folder.name, separator: "."), isSubscribed: folder.subscribed, messageCount: folder.count),
                destination: MailboxName(folder.name, separator: "/"), reason: .hierarchy, destinationExists: true,
                destinationSubscribed: folder.subscribedThere)
        }
        return FolderPlan(mappings: mappings, skipped: [], problems: invalidRule ? [.invalidRule("a=", reason: "no target")] : [])
    }

    static func at(_ seconds: Double) -> TestClock.Instant {
        TestClock.Instant(offset: .milliseconds(Int(seconds * 1000)))
    }

    static func event(_ step: Step, _ scenario: Scenario) -> Machine.Event {
        switch step {
        case .started: .started
        case .bound: .bound(previousDestination: nil)
        case .opened(let worker): .sessionsOpened(worker)
        case .planned(let worker): .planned(worker, plan(scenario), listedSourceFolders: [])
        case .plannedWithInvalidRule(let worker): .planned(worker, plan(scenario, invalidRule: true), listedSourceFolders: [])
        case .assessed(let worker, let wantsHelp): .assessed(worker, wantsHelp: wantsHelp)
        case .done(let worker, let folder): .folderDone(worker, FolderReport(sourceFolder: folder, destinationFolder: folder))
        case .subscribed(let worker, let added): .subscriptionsCopied(worker, added: added)
        case .failed(let worker, let error, let seconds): .failed(worker, error, now: at(Double(seconds)))
        case .deadline(let worker, let seconds): .deadlinePassed(worker, now: at(seconds))
        }
    }

    static func describe(_ worker: Int, _ action: Machine.Action) -> String {
        let text: String
        switch action {
        case .bindDestination: text = "bind"
        case .openSessions: text = "open"
        case .plan: text = "plan"
        case .assess: text = "assess"
        case .work(let mapping, _): text = "work \(mapping.source.name.name)"
        case .copySubscriptions(_, let onOpenSessions): text = "subscriptions on " + (onOpenSessions ? "its sessions" : "a new session")
        case .backOff(let until, let retry):
            text = "back off until \(until.offset.components.seconds)s" + (retry.map { ", retrying \($0.folder) #\($0.attempt)" } ?? "")
        case .stop: text = "stop"
        case .finish(let outcome): text = "finish " + describe(outcome)
        }
        return "\(worker) \(text)"
    }

    static func describe(_ outcome: Machine.Outcome) -> String {
        var parts = [outcome.folders.map { $0.sourceFolder + ($0.error == nil ? "" : " failed") }.joined(separator: ", ")]
        if !outcome.problems.isEmpty { parts.append("\(outcome.problems.count) problem(s)") }
        if outcome.subscriptionsAdded > 0 { parts.append("\(outcome.subscriptionsAdded) subscribed") }
        if let error = outcome.error {
            parts.append("error " + ((error as? StoreError)?.kind.rawValue ?? String(describing: error)))
        }
        return "[" + parts.joined(separator: "; ") + "]"
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "one worker: bind, plan, largest folder first, subscriptions once on its sessions",
            folders: [("Sent", 3, true, false), ("INBOX", 5, true, true)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]), (.done(0, "INBOX"), ["0 work Sent"]),
                (.done(0, "Sent"), ["0 subscriptions on its sessions"]),
                (.subscribed(0, added: 1), ["0 finish [INBOX, Sent; 1 subscribed]"]),
            ]),
        Scenario(
            name: "a dry run binds nothing; every folder subscribed there asks nothing",
            dryRun: true, folders: [("INBOX", 5, true, true)],
            steps: [
                (.started, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]), (.done(0, "INBOX"), ["0 finish [INBOX]"]),
            ]),
        Scenario(
            name: "helpers wait for the plan holding nothing, then one per folder left opens sessions",
            workers: 3, folders: [("INBOX", 5, true, false), ("Sent", 3, false, false)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX", "1 open", "2 stop"]),
                (.opened(1), ["1 work Sent"]),
                (.done(0, "INBOX"), ["0 stop"]),
                (.done(1, "Sent"), ["1 subscriptions on its sessions"]),
                (.subscribed(1, added: 1), ["1 finish [INBOX, Sent; 1 subscribed]"]),
            ]),
        Scenario(
            name: "a re-run with nothing new works on the planning pair alone",
            workers: 2,
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: false), ["0 work INBOX", "1 stop"]), (.done(0, "INBOX"), ["0 work Sent"]),
                (.done(0, "Sent"), ["0 finish [INBOX, Sent]"]),
            ]),
        Scenario(
            name: "sessions lost mid-work: the folder is retried after a backoff that doubles, and an early wake waits again",
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]),
                (.failed(0, dropped, at: 10), ["0 back off until 11s, retrying INBOX #2"]),
                (.deadline(0, at: 10.5), ["0 back off until 11s"]),
                (.deadline(0, at: 11), ["0 open"]), (.opened(0), ["0 work INBOX"]),
                (.failed(0, dropped, at: 20), ["0 back off until 22s, retrying INBOX #3"]),
                (.deadline(0, at: 22), ["0 open"]), (.opened(0), ["0 work INBOX"]),
                (.done(0, "INBOX"), ["0 work Sent"]), (.done(0, "Sent"), ["0 finish [INBOX, Sent]"]),
            ]),
        Scenario(
            name: "a folder out of attempts is reported failed; subscriptions then on a new session",
            maxAttempts: 2, folders: [("INBOX", 5, true, false)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]),
                (.failed(0, dropped, at: 0), ["0 back off until 1s, retrying INBOX #2"]),
                (.deadline(0, at: 1), ["0 open"]), (.opened(0), ["0 work INBOX"]),
                (.failed(0, dropped, at: 1), ["0 subscriptions on a new session"]),
                (.subscribed(0, added: 1), ["0 finish [INBOX failed; 1 subscribed]"]),
            ]),
        Scenario(
            name: "a folder out of attempts: the next folder starts at once on new sessions",
            maxAttempts: 1,
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]),
                (.failed(0, dropped, at: 0), ["0 open"]), (.opened(0), ["0 work Sent"]),
                (.done(0, "Sent"), ["0 finish [INBOX failed, Sent]"]),
            ]),
        Scenario(
            name: "a folder lost by one worker is taken by the other at once; the first finds nothing left",
            workers: 2, folders: [("INBOX", 5, true, false), ("Sent", 3, false, false)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX", "1 open"]), (.opened(1), ["1 work Sent"]),
                (.failed(1, dropped, at: 5), ["1 back off until 6s, retrying Sent #2"]),
                (.done(0, "INBOX"), ["0 work Sent"]),
                (.deadline(1, at: 6), ["1 stop"]),
                (.done(0, "Sent"), ["0 subscriptions on its sessions"]),
                (.subscribed(0, added: 1), ["0 finish [INBOX, Sent; 1 subscribed]"]),
            ]),
        Scenario(
            name: "a server that cannot be reached stops the account after maxAttempts; the others stop when they ask",
            workers: 2, maxAttempts: 3, folders: [("INBOX", 5, true, false), ("Sent", 3, false, false), ("Trash", 1, false, false)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX", "1 open"]),
                (.failed(1, dropped, at: 0), ["1 back off until 1s"]), (.deadline(1, at: 1), ["1 open"]),
                (.failed(1, dropped, at: 1), ["1 back off until 3s"]), (.deadline(1, at: 3), ["1 open"]),
                (.failed(1, dropped, at: 3), ["1 stop"]),
                (.done(0, "INBOX"), ["0 finish [INBOX; error connection]"]),
            ]),
        Scenario(
            name: "a failure that is no connection failure stops the account at once, without subscriptions",
            workers: 2, folders: [("INBOX", 5, true, false), ("Sent", 3, true, false)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX", "1 open"]), (.opened(1), ["1 work Sent"]),
                (.failed(1, refused, at: 0), ["1 stop"]),
                (.done(0, "INBOX"), ["0 finish [INBOX; error authentication]"]),
            ]),
        Scenario(
            name: "a backoff cut short (the run is cancelled) stops the account",
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]),
                (.failed(0, dropped, at: 0), ["0 back off until 1s, retrying INBOX #2"]),
                (.failed(0, CancellationError(), at: 0), ["0 finish [; error CancellationError()]"]),
            ]),
        Scenario(
            name: "a folder's own failure is reported and the worker goes on on the same sessions",
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]), (.failed(0, unreadable, at: 0), ["0 work Sent"]),
                (.done(0, "Sent"), ["0 finish [INBOX failed, Sent]"]),
            ]),
        Scenario(
            name: "the planning worker's sessions failing ends the account; the waiting helper stops",
            workers: 2,
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]),
                (.failed(0, dropped, at: 0), ["0 stop", "1 finish [; error connection]"]),
            ]),
        Scenario(
            name: "a plan with a malformed rule refuses the account",
            workers: 2,
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]),
                (.plannedWithInvalidRule(0), ["0 stop", "1 finish [; 1 problem(s)]"]),
            ]),
        Scenario(
            name: "a state directory that cannot be written ends the account before any session",
            steps: [
                (.started, ["0 bind"]),
                (.failed(0, dropped, at: 0), ["0 finish [; error the state directory cannot be written: connection error: connection reset]"]),
            ]),
        Scenario(
            name: "the subscriptions step failing is the account's error",
            folders: [("INBOX", 5, true, false)],
            steps: [
                (.started, ["0 bind"]), (.bound, ["0 open"]), (.opened(0), ["0 plan"]), (.planned(0), ["0 assess"]),
                (.assessed(0, wantsHelp: true), ["0 work INBOX"]), (.done(0, "INBOX"), ["0 subscriptions on its sessions"]),
                (.failed(0, dropped, at: 0), ["0 finish [INBOX; error connection]"]),
            ]),
    ]

    @Test(arguments: scenarios)
    func eventsInActionsOut(_ scenario: Scenario) {
        var machine = Machine(options: Self.options(scenario), workers: scenario.workers)
        for (index, (step, expected)) in scenario.steps.enumerated() {
            let actions = machine.handle(Self.event(step, scenario)).map { Self.describe($0.worker, $0.action) }
            #expect(actions == expected, "step \(index + 1)")
        }
        #expect(machine.finished)
    }
}
