/// What a store that keeps source UIDs did when a folder took the source's identity
/// (``MailboxWriter/adoptIdentity(of:for:)``), beyond the identity itself.
public struct IdentityAdoption: Hashable, Sendable {
    /// The folder held only the mirror's verified copies under the destination's own
    /// UIDVALIDITY (the mirror delivered before the first sync): it took the source's, and
    /// this many copies were numbered above the source's UIDs, kept until `mirror purge`.
    /// `nil` when the folder was not such a folder.
    public var adoptedMirrorCopies: Int?

    public init(adoptedMirrorCopies: Int? = nil) {
        self.adoptedMirrorCopies = adoptedMirrorCopies
    }
}
