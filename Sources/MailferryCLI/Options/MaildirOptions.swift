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
}
