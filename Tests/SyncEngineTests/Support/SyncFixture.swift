import Foundation
import MailModel
import MailTestSupport
import StateStore
import SyncEngine
import SyncTestSupport

/// A Courier-shaped source, a Dovecot-shaped destination and a fresh state directory.
struct SyncFixture {
    let source = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "INBOX.", separator: "."))
    let destination = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"))
    let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
    var options: SyncOptions

    init() {
        options = SyncOptions()
        options.temporaryDirectory = stateDirectory + "/tmp"
        options.initialBackoff = .milliseconds(1)
    }

    /// One run. `to` replaces the destination (same state directory), `named` its identity;
    /// backoffs pass on `clock` without sleeping.
    func sync(
        rules: MappingRules = MappingRules(), options: SyncOptions? = nil, observer: any SyncObserver = SilentObserver(),
        executors: [any TaskExecutor] = [], to other: InMemoryMailServer? = nil, named: String = "memory://test",
        clock: TestClock = TestClock(advance: .onSleep)
    ) async throws -> AccountReport {
        let store = try SQLiteStateStore(directory: stateDirectory)
        let account = AccountSync(
            account: "alice", source: InMemoryStore(server: source),
            destination: InMemoryStore(server: other ?? destination, displayName: named),
            stateStore: store, rules: rules, options: options ?? self.options, observer: observer, clock: clock,
            workerExecutors: executors)
        return await account.run()
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: stateDirectory) }

    /// Every message of every destination folder as (folder, bytes, flags, date), sorted, to
    /// compare with the source.
    static func contents(of server: InMemoryMailServer, mapping: (String) -> String = { $0 }) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for folder in server.folderNames() {
            result[mapping(folder)] = server.messages(in: folder).map { message in
                let flags = message.flags.map(\.stringValue).sorted().joined(separator: " ")
                return "\(MessageFingerprint.of(message.bytes).hex) [\(flags)] \(message.date?.secondsSince1970 ?? -1)"
            }.sorted()
        }
        return result
    }

    /// Courier name → Dovecot name, for comparing both sides.
    static func courierToDovecot(_ name: String) -> String {
        name == "INBOX" ? "INBOX" : String(name.dropFirst("INBOX.".count)).replacing(".", with: "/")
    }
}
