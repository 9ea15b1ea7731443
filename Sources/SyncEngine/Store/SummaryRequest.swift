public import MailModel

/// What one listing of the open folder's messages must tell the engine, stated as the
/// engine's needs: which messages, which of their details, and whether their bodies come
/// too. How to meet it cheaply (which items to ask a server for, whether flags can travel
/// with the SELECT, whether bodies and summaries come in one pass) is each store's business.
///
/// A store may always give more than asked (a size where none is needed), never less.
public struct SummaryRequest {
    /// Only messages with a UID ≥ `from`; every message when `nil`.
    public var from: UID?
    /// Only messages changed since this mod-sequence, where the store supports CONDSTORE; a
    /// store without it lists every message of the range.
    public var changedSince: ModSeq?
    /// Messages below this UID (copied by an earlier run) need only their UID and flags:
    /// their size may be 0 and their date `nil`. `nil`: every message needs everything.
    public var flagsOnlyBelow: UID?
    /// False when no size is needed (a first copy into an empty folder: the bodies arrive
    /// with theirs): every size may then be 0.
    public var needsSizes: Bool
    /// Stream the exact bytes of every listed message into this sink as well, in any order;
    /// the summaries' sizes are then the streamed bodies'.
    public var bodies: (any MessageBodySink)?

    public init(
        from: UID? = nil, changedSince: ModSeq? = nil, flagsOnlyBelow: UID? = nil, needsSizes: Bool = true,
        bodies: (any MessageBodySink)? = nil
    ) {
        self.from = from
        self.changedSince = changedSince
        self.flagsOnlyBelow = flagsOnlyBelow
        self.needsSizes = needsSizes
        self.bodies = bodies
    }

    /// Everything about every message.
    public static var all: SummaryRequest { SummaryRequest() }

    /// Everything about the messages with a UID ≥ `uid`.
    public static func from(_ uid: UID) -> SummaryRequest { SummaryRequest(from: uid) }

    /// Everything about the messages changed since `modSeq` (CONDSTORE).
    public static func changed(since modSeq: ModSeq) -> SummaryRequest { SummaryRequest(changedSince: modSeq) }

    /// Every message, where those below `uid` need only their UID and flags.
    public static func flagsOnly(below uid: UID) -> SummaryRequest { SummaryRequest(flagsOnlyBelow: uid) }

    /// Every message, without sizes.
    public static var withoutSizes: SummaryRequest { SummaryRequest(needsSizes: false) }

    /// Every message with its body streamed into `sink`.
    public static func withBodies(into sink: any MessageBodySink) -> SummaryRequest { SummaryRequest(bodies: sink) }

    /// True when `uid` is in the requested range.
    public func includes(_ uid: UID) -> Bool { from.map { uid >= $0 } ?? true }
}

extension MailboxReader {
    /// For a store whose summaries and bodies come apart: stream the bodies of `summaries`
    /// when `request` asks for them, and give the summaries back.
    public func streamingBodies(of summaries: [MessageSummary], for request: SummaryRequest) async throws -> [MessageSummary] {
        if let sink = request.bodies { try await fetchBodies(summaries.map(\.uid), into: sink) }
        return summaries
    }
}
