// libFuzzer targets over the Maildir metadata parsers and names: Courier's courierimapuiddb,
// courierimapkeywords/:list and courierpop3dsizelist, Dovecot's dovecot-uidlist and
// dovecot-keywords, message file names and folder names (see FuzzerDriver for how they are
// built and replayed).
//
// Besides crashes, a file that parses is written back with the type's own serializer and
// parsed again: it must read the same. mailferry writes these files for the new server, so
// a value that does not survive its own round trip would be a UID or keyword change there.
import FuzzerSupport

let targets = [
    FuzzTarget("courier-uiddb", check: CourierMetadataChecks.uidDatabase),
    FuzzTarget("courier-keywords", check: CourierMetadataChecks.keywordList),
    FuzzTarget("courier-pop3dsizelist", check: CourierMetadataChecks.pop3SizeList),
    FuzzTarget("dovecot-uidlist", check: DovecotMetadataChecks.uidList),
    FuzzTarget("dovecot-keywords", check: DovecotMetadataChecks.keywords),
    FuzzTarget("maildir-filename", check: MaildirNameChecks.fileName),
    FuzzTarget("maildir-foldername", check: MaildirNameChecks.folderName),
]

/// Traps with `message` unless `condition` holds: a finding libFuzzer keeps.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
