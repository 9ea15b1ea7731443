import SyncEngine

/// One account to sync or verify: a name for reports and both stores.
struct AccountJob: Sendable {
    var name: String
    var source: any SourceStore
    var destination: any DestinationStore
}
