/// The FETCH data item names the parser acts on, recognised from the bytes without building
/// a String (metadata fetches of big mailboxes parse millions of them).
enum FetchItemName {
    case uid, flags, internalDate, rfc822Size, modSeq, rfc822, rfc822Header, rfc822Text, body, binary, other

    private static let names: [(String, FetchItemName)] = [
        ("UID", .uid), ("FLAGS", .flags), ("INTERNALDATE", .internalDate), ("RFC822.SIZE", .rfc822Size),
        ("MODSEQ", .modSeq), ("RFC822", .rfc822), ("RFC822.HEADER", .rfc822Header), ("RFC822.TEXT", .rfc822Text),
        ("BODY", .body), ("BINARY", .binary),
    ]
    private static let table: [([UInt8], FetchItemName)] = names.map { (Array($0.0.utf8), $0.1) }

    init(_ bytes: ArraySlice<UInt8>) {
        for (name, value) in FetchItemName.table where name.count == bytes.count {
            if zip(name, bytes).allSatisfy({ $0 == ParseBuffer.uppercased($1) }) {
                self = value
                return
            }
        }
        self = .other
    }
}
