import Maildir

/// Courier's metadata files, read from the old server.
enum CourierMetadataChecks {
    static let path = "fuzz"

    @Sendable static func uidDatabase(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let database = try? CourierUIDDatabase.parse(Array(bytes), path: path) else { return }
        let again: CourierUIDDatabase
        do {
            again = try CourierUIDDatabase.parse(database.serialized(), path: path)
        } catch {
            fatalError("serialized courierimapuiddb does not parse: \(error)")
        }
        require(again.uidValidity == database.uidValidity && again.nextUID == database.nextUID, "header changed: \(database) -> \(again)")
        require(
            again.records.map { "\($0.uid) \($0.base)" } == database.records.map { "\($0.uid) \($0.base)" },
            "records changed: \(database.records) -> \(again.records)")
    }

    @Sendable static func keywordList(_ bytes: UnsafeBufferPointer<UInt8>) {
        let list = CourierKeywordList.parse(Array(bytes), path: path)
        require(list.entries.allSatisfy { !$0.base.contains(":") }, "a base with ':' in \(list.entries)")
    }

    @Sendable static func pop3SizeList(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let list = try? CourierPOP3SizeList.parse(Array(bytes), path: path) else { return }
        for record in list.records {
            let uidl = record.uidl
            // A UIDL goes on a POP3 line: printable ASCII without spaces (RFC 1939 §7).
            require(uidl.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }, "UIDL \(uidl.debugDescription) is not printable ASCII")
            require(record.size >= 0, "negative size in \(record)")
        }
        _ = list.recordsByMatchKey()
    }
}
