/// What a store reports about one message without its body: enough to plan a copy and to
/// pre-filter identity (size + date) before any bytes are hashed.
public struct MessageSummary: Hashable, Sendable {
    public var uid: UID
    public var flags: Set<Flag>
    public var internalDate: InternalDate?
    public var size: Int

    public init(uid: UID, flags: Set<Flag>, internalDate: InternalDate?, size: Int) {
        self.uid = uid
        self.flags = flags
        self.internalDate = internalDate
        self.size = size
    }
}
