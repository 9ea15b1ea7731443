import Foundation
import IMAPClient
import IMAPCodec
import MailModel

/// What `imap probe` found: the server, its capabilities and namespaces, and every folder.
public struct IMAPProbeReport {
    public struct Folder {
        public var info: MailboxInfo
        /// The decoded name, or nil when the server's wire name is not valid modified UTF-7.
        public var name: MailboxName?
        public var subscribed: Bool
        public var messages: Int?
        public var bytes: Int?
        public var uidValidity: UIDValidity?
        public var uidNext: UID?

        public var displayName: String { name?.name ?? "\(info.path.description) (undecodable)" }
    }

    public var server: String
    public var user: String
    public var security: IMAPEndpoint.Security
    public var verified: Bool
    public var capabilities: [String]
    public var namespace: NamespaceResponse
    public var folders: [Folder] = []
}
