import Maildir

/// Dovecot's metadata files: mailferry reads them on the new server and writes them.
enum DovecotMetadataChecks {
    static let path = "fuzz"

    @Sendable static func uidList(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let (list, _) = try? DovecotUIDList.parse(Array(bytes), path: path) else { return }
        // Only what validate() accepts is ever written.
        guard (try? list.validate(path: path)) != nil else { return }
        let again: DovecotUIDList
        do {
            (again, _) = try DovecotUIDList.parse(list.serialized(), path: path)
        } catch {
            fatalError("serialized dovecot-uidlist does not parse: \(error)\n\(String(decoding: list.serialized(), as: UTF8.self))")
        }
        require(
            again.uidValidity == list.uidValidity && again.nextUID == list.nextUID && again.mailboxGUID == list.mailboxGUID
                && again.otherHeaderFields == list.otherHeaderFields && again.records == list.records,
            "dovecot-uidlist changed in its round trip: \(list) -> \(again)")
    }

    @Sendable static func keywords(_ bytes: UnsafeBufferPointer<UInt8>) {
        let (keywords, _) = DovecotKeywords.parse(Array(bytes), path: path)
        let (again, _) = DovecotKeywords.parse(keywords.serialized(), path: path)
        require(again == keywords, "dovecot-keywords changed in its round trip: \(keywords.names) -> \(again.names)")
    }
}
