import ArgumentParser

/// Flags for a Dovecot Maildir destination (`--to maildir:/…`), used by `sync`.
struct MaildirOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Owner of everything written to a maildir: destination: user, user:group or uid:gid (default: the owner of the "
            + "Maildir, or of its home directory; with --owner a missing home is created).",
        valueName: "owner"))
    var owner: String?

    @Flag(name: .customLong("overwrite-uidvalidity"), help: """
        A maildir: destination folder that holds messages under another UIDVALIDITY is refused (its clients would \
        download it again). With this flag its UIDs are replaced by the source's.
        """)
    var overwriteUIDValidity = false

    @Option(name: .customLong("mirror-tag-key"), help: ArgumentHelp("""
        While the mirror delivers tagged copies to the new server: the mirror's key file (<spool>/mirror-tag.key). A \
        maildir: destination then keeps the copies out of the source's UIDs: each folder's next UID is set 1000000 \
        above the source's, so Dovecot numbers the copies there, and a folder that holds nothing but copies whose tag \
        verifies (Dovecot created it for the first copy) takes the source's UIDVALIDITY instead of being refused. See \
        docs/admin/uid-keeping.md.
        """, valueName: "file"))
    var mirrorTagKey: String?

    @Option(name: .customLong("settle"), help: ArgumentHelp("""
        For presyncs from a maildir: source while mail is still delivered to it: leave the messages Courier has not \
        numbered yet that were delivered in the last <seconds> seconds for a later run, so that mail arriving in the \
        same second cannot make Courier's numbering differ from mailferry's. The run does not copy them; the final \
        pass, with delivery held, runs without --settle.
        """, valueName: "seconds"))
    var settle: Int?
}
