import TestbedClient

/// Dovecot's own migration from Courier, as testbed.md §8 measured it: `doveadm backup -R`
/// from Courier over IMAP (imapc) into the account's Dovecot mailbox.
struct BenchDoveadm {
    let arguments: [String]

    init(testbed: Testbed, user: TestbedUser) throws {
        guard let config = testbed.new.dovecotConfig else { throw BenchError("testbed.json has no new.dovecotConfig") }
        arguments = [
            "-c", config, "-o", "imapc_host=\(testbed.old.imap.host)", "-o", "imapc_port=\(testbed.old.imap.port)",
            "-o", "imapc_user=\(user.name)", "-o", "imapc_password=\(try user.password())",
            "-o", "imapc_features=rfc822.size fetch-headers", "-o", "imapc_list_prefix=INBOX", "-o", "mail_prefetch_count=20",
            "backup", "-R", "-u", user.name, "imapc:",
        ]
    }

    func backup() throws {
        try ExternalProgram.run("/usr/bin/doveadm", arguments)
    }
}
