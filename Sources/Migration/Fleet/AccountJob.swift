import SyncEngine

/// One account to sync or verify: a name for reports and both stores.
public struct AccountJob: Sendable {
    public var name: String
    public var source: any SourceStore
    public var destination: any DestinationStore

    public init(name: String, source: any SourceStore, destination: any DestinationStore) {
        self.name = name
        self.source = source
        self.destination = destination
    }
}
