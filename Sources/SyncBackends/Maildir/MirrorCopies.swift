import Glibc
import Maildir
import MailModel

/// How a Dovecot Maildir destination deals with the mirror's copies while the mirror runs
/// (`postfix mirror` + `mirror`, which deliver tagged copies to the new server by LMTP).
///
/// A live Dovecot numbers each copy it delivers from the folder's next UID on. If that next
/// UID were the source's, the copies would take the UIDs that the source's next messages
/// will need, and the UID-keeping writer must refuse those UIDs (a client may have seen
/// them). So the writer keeps the copies out of the source's UID space:
///
/// - every folder it writes gets a next UID of the source's next UID plus ``uidReserve``:
///   Dovecot numbers the copies above the reserve, the source's messages fill the UIDs below
///   it, and no UID is ever given twice;
/// - a folder that Dovecot created for the copies (its first copy came before the first
///   sync) has Dovecot's own UIDVALIDITY. When every message in it is a copy whose tag
///   verifies under the mirror's key, the folder is mailferry's own: it takes the source's
///   UIDVALIDITY and its copies are numbered above the reserve (kept, not deleted, until
///   `mirror purge`). Anything else in it and the folder is refused as before.
///
/// The price is a jump of the folder's UIDNEXT (not of any message's UID): clients see the
/// source's UIDVALIDITY and UIDs and keep their caches.
public struct MirrorCopies: Sendable {
    /// Room for the source's mail that arrives between the first sync and the final pass.
    public static let defaultUIDReserve: UInt32 = 1_000_000
    /// The most of a message's header read to find its tag; a longer header is not a copy.
    public static let headerLimit = 256 * 1024

    public var uidReserve: UInt32
    /// True when `header` (a message's header section) carries exactly one tag field and it
    /// verifies under the mirror's key.
    public var isVerifiedCopy: @Sendable (_ header: [UInt8]) -> Bool

    public init(uidReserve: UInt32 = defaultUIDReserve, isVerifiedCopy: @escaping @Sendable (_ header: [UInt8]) -> Bool) {
        self.uidReserve = uidReserve
        self.isVerifiedCopy = isVerifiedCopy
    }

    /// The next UID to give a destination folder whose source has `sourceNext`.
    func reservedNext(after sourceNext: UID) -> UID {
        let raised = UInt64(sourceNext.rawValue) + UInt64(uidReserve)
        return UID(exactly: UInt32(min(raised, UInt64(UInt32.max - 1))))
    }

    /// The header section of the message file at `path` (through the empty line that ends
    /// it), or `nil` when it is longer than ``headerLimit`` or the file is gone.
    static func header(ofFileAt path: String) throws(MaildirError) -> [UInt8]? {
        let reader: MessageFileReader
        do {
            reader = try MessageFileReader(path: path)
        } catch where error.errno == ENOENT {
            return nil
        }
        defer { reader.close() }
        var header: [UInt8] = []
        var scanned = 0
        while header.count < headerLimit {
            let chunk = try reader.read(upTo: 16 * 1024)
            if chunk.isEmpty { return header }
            header += chunk
            if let end = endOfHeader(header, from: max(0, scanned - 3)) { return Array(header[..<end]) }
            scanned = header.count
        }
        return nil
    }

    /// The index just past the empty line that ends a header section (LF or CRLF lines).
    static func endOfHeader(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A {
                if bytes[index + 1] == 0x0A { return index + 2 }
                if bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A { return index + 3 }
            }
            index += 1
        }
        return nil
    }
}
