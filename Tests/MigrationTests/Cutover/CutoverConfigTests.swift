import Foundation
import MailferryConfig
import Testing

@testable import Migration

/// The `[cutover]` table: strict like the rest of the config, every mistake named with its
/// setting (and line, for unknown keys).
@Suite struct CutoverConfigTests {
    static let base = """
        [source]
        url = "maildir:{home}/Maildir"
        [destination]
        url = "imap://new"
        [[accounts]]
        user = "alice"
        [cutover]
        domains = ["Example.com"]
        [cutover.old]
        host = "root@old.example.com"
        [cutover.new]
        relay_host = "192.0.2.20"
        deliver_locally_command = ["/bin/true"]
        relay_to_old_command = ["/bin/true"]
        close_logins_command = ["/bin/true"]
        open_logins_command = ["/bin/true"]

        """

    @Test func readsTheTableWithItsDefaults() throws {
        let config = try MigrationConfig.parse(Self.base, origin: "/etc/mailferry/cutover.toml")
        let cutover = try #require(config.cutover)
        #expect(cutover.domains == ["example.com"])
        #expect(cutover.oldPostfix == "/etc/postfix")
        #expect(cutover.imapUnits == CutoverConfig.defaultImapUnits)
        #expect(!cutover.oldIsLocal)
        #expect(cutover.smallDelta == 50 && cutover.maxRounds == 5)
        #expect(cutover.ttl == .seconds(86_400) && cutover.margin == .seconds(3600))
    }

    @Test func relativeSpoolIsRelativeToTheFile() throws {
        let config = try MigrationConfig.parse(Self.base + "[cutover.mirror]\nspool = \"spool\"\n", origin: "/etc/mailferry/cutover.toml")
        #expect(config.cutover?.mirror?.spool == "/etc/mailferry/spool")
    }

    @Test func anUnknownSettingIsNamedWithItsLine() {
        let text = Self.base.replacingOccurrences(of: "host = \"root@old.example.com\"\n", with: "host = \"root@old.example.com\"\nhots = \"x\"\n")
        #expect { _ = try MigrationConfig.parse(text, origin: "c.toml") } throws: { "\($0)".contains("cutover.old.hots (line 11)") }
    }

    @Test(arguments: [
        ("[cutover.drain]\nttl = \"one day\"\n", "cutover.drain.ttl \"one day\" is not a duration"),
        ("[cutover.presync]\nmax_rounds = 0\n", "cutover.presync.max_rounds must be at least 1"),
        ("[cutover.mirror]\nspool = \"/s\"\nshadow_suffix = \"bad suffix\"\n", "cutover.mirror.shadow_suffix"),
    ])
    func refusesMistakesInSubtables(extra: String, expected: String) {
        #expect { _ = try MigrationConfig.parse(Self.base + extra, origin: "c.toml") } throws: { "\($0)".contains(expected) }
    }

    @Test(arguments: [
        ("domains = [\"Example.com\"]", "domains = []", "cutover.domains must name at least one domain"),
        ("domains = [\"Example.com\"]", "domains = [\"ex ample.com\"]", "is not a domain name"),
        ("domains = [\"Example.com\"]", "domains = [\"a.com\", \"A.com\"]", "lists a domain twice"),
        ("host = \"root@old.example.com\"", "host = \"-oProxyCommand=x\"", "cutover.old.host must be"),
        ("host = \"root@old.example.com\"", "host = \"local\"\nssh_options = [\"-p\", \"22\"]", "ssh_options needs an ssh destination"),
        ("host = \"root@old.example.com\"", "host = \"local\"\nstop_imap_command = [\"/bin/true\"]", "go together"),
        ("host = \"root@old.example.com\"", "host = \"local\"\nimap_units = []", "imap_units must name at least one unit"),
        ("host = \"root@old.example.com\"", "host = \"local\"\npostfix = \"etc/postfix\"", "old.postfix must be an absolute path"),
        ("relay_host = \"192.0.2.20\"", "relay_host = \"[192.0.2.20]\"", "without brackets"),
        ("relay_host = \"192.0.2.20\"", "relay_host = \"h\"\nrelay_port = 0", "relay_port must be 1-65535"),
        ("open_logins_command = [\"/bin/true\"]", "open_logins_command = []", "open_logins_command must be an argv"),
        ("close_logins_command = [\"/bin/true\"]\n", "", "close_logins_command is missing"),
        ("host = \"root@old.example.com\"", "host = \"local\"\nmail_log = \"var/log/mail.log\"", "old.mail_log must be an absolute path"),
        ("relay_host = \"192.0.2.20\"", "relay_host = \"h\"\ndovecot_log = \"/var/log/dovecot.log\"", "need old.mail_log"),
    ])
    func refusesBadValues(original: String, replacement: String, expected: String) {
        let text = Self.base.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.base)
        #expect { _ = try MigrationConfig.parse(text, origin: "c.toml") } throws: { "\($0)".contains(expected) }
    }

    @Test func theLogsMakeTheProofMessageByMessage() throws {
        let plain = try #require(try MigrationConfig.parse(Self.base, origin: "c.toml").cutover)
        #expect(plain.proofSource.hasPrefix("per-account verify only: no old.mail_log"))
        let text = Self.base
            .replacingOccurrences(of: "host = \"root@old.example.com\"\n", with: "host = \"root@old.example.com\"\nmail_log = \"/var/log/mail.log\"\n")
            .replacingOccurrences(of: "relay_host = \"192.0.2.20\"\n",
                                  with: "relay_host = \"192.0.2.20\"\nmail_log = \"/var/log/mail.log\"\ndovecot_log = \"/var/log/dovecot.log\"\n")
        let cutover = try #require(try MigrationConfig.parse(text, origin: "c.toml").cutover)
        #expect(cutover.old.mailLog == "/var/log/mail.log" && cutover.new.mailLog == "/var/log/mail.log")
        #expect(cutover.new.dovecotLog == "/var/log/dovecot.log")
        #expect(cutover.proofSource == "message by message from the mail logs (old /var/log/mail.log, new /var/log/mail.log, dovecot /var/log/dovecot.log)")
        let typo = text.replacingOccurrences(of: "dovecot_log", with: "dovecot_logs")
        #expect { _ = try MigrationConfig.parse(typo, origin: "c.toml") } throws: { "\($0)".contains("cutover.new.dovecot_logs (line 15)") }
    }

    @Test func configCheckValidatesTheShippedExample() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../examples").standardized.path
        #expect(try ConfigFile.check(path: examples + "/cutover.toml") == .migration)
        let config = try MigrationConfig.load(path: examples + "/cutover.toml")
        #expect(config.cutover?.new.relayPort == 2525)
        #expect(config.cutover?.old.mailLog == "/var/log/mail.log" && config.cutover?.new.dovecotLog == "/var/log/dovecot.log")
    }
}
