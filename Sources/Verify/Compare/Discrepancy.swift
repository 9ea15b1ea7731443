/// One difference between the source and the destination, named exactly.
public struct Discrepancy: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// On the source, not on the destination.
        case missing
        /// On the destination, not on the source.
        case extra
        /// The same message (same Message-ID, or the copy the sync state recorded) with different bytes.
        case altered
        case flagsDiffer = "flags differ"
        case dateDiffers = "date differs"
        /// With `--expect-same-uids`: the copy has another UID.
        case uidDiffers = "UID differs"
        /// With `--expect-same-uids`: the folders' UIDVALIDITY differ.
        case uidValidityDiffers = "UIDVALIDITY differs"
        /// The destination folder does not exist.
        case folderMissing = "folder missing"
        /// Subscribed on one side only.
        case subscriptionDiffers = "subscription differs"

        /// True for the kinds that mean mail may be lost or changed.
        public var isLossOrAlteration: Bool { self == .missing || self == .altered || self == .folderMissing }
    }

    /// One side's view of the message or folder.
    public struct Side: Hashable, Sendable, Codable {
        public var folder: String
        public var uid: UInt32?
        public var messageID: String?
        public var subject: String?
        public var size: Int?
        public var internalDate: Int64?
        public var flags: [String]?
        public var sha256: String?

        public init(folder: String, entry: ManifestEntry?) {
            self.folder = folder
            self.uid = entry?.uid
            self.messageID = entry?.messageID
            self.subject = entry?.subject
            self.size = entry?.size
            self.internalDate = entry?.internalDate
            self.flags = entry?.flags
            self.sha256 = entry?.sha256
        }
    }

    public var kind: Kind
    public var source: Side?
    public var destination: Side?
    /// A short human explanation (for example which flags differ).
    public var detail: String

    public init(kind: Kind, source: Side?, destination: Side?, detail: String) {
        self.kind = kind
        self.source = source
        self.destination = destination
        self.detail = detail
    }
}
