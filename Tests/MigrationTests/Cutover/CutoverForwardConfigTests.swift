import MailferryConfig
import Testing

@testable import Migration

/// `[cutover.forward]` and `drain.quiet`: strict like the rest of `[cutover]`.
@Suite struct CutoverForwardConfigTests {
    static func parse(_ extra: String) throws -> CutoverConfig {
        try #require(try MigrationConfig.parse(CutoverConfigTests.base + extra, origin: "/etc/c.toml").cutover)
    }

    @Test func theUnitIsTheDefaultAndPlanShowsItsCommands() throws {
        let config = try Self.parse("[cutover.forward]\nold_address = \"192.0.2.10\"\n")
        let forward = try #require(config.forward)
        #expect(forward.command(start: true) == ["systemctl", "start", "mailferry-forward.service"])
        #expect(forward.command(start: false) == ["systemctl", "stop", "mailferry-forward.service"])
        #expect(forward.isActiveCommand == ["systemctl", "is-active", "mailferry-forward.service"])
        #expect(forward.doveconfCommand == ["doveconf", "-n"])
        #expect(config.quiet == .seconds(7200))
    }

    @Test func commandsReplaceTheUnit() throws {
        let forward = try #require(try Self.parse("""
            [cutover.forward]
            old_address = "2001:db8::10"
            start_command = ["/usr/local/sbin/fwd", "start"]
            stop_command = ["/usr/local/sbin/fwd", "stop"]
            dovecot_config = "/etc/dovecot/dovecot.conf"
            [cutover.drain]
            quiet = "30m"

            """).forward)
        #expect(forward.command(start: true) == ["/usr/local/sbin/fwd", "start"])
        #expect(forward.isActiveCommand == nil)
        #expect(forward.doveconfCommand == ["doveconf", "-c", "/etc/dovecot/dovecot.conf", "-n"])
        #expect(try Self.parse("[cutover.drain]\nquiet = \"30m\"\n").quiet == .seconds(1800))
    }

    @Test(arguments: [
        ("[cutover.forward]\nunit = \"x.service\"\n", "missing"),
        ("[cutover.forward]\nold_address = \"old.example.com\"\n", "cutover.forward.old_address must be an IPv4 or IPv6 address"),
        ("[cutover.forward]\nold_address = \"192.0.2.0/24\"\n", "cutover.forward.old_address must be an IPv4 or IPv6 address"),
        ("[cutover.forward]\nold_address = \"192.0.2.10\"\nstart_command = [\"/bin/true\"]\n", "go together"),
        ("[cutover.forward]\nold_address = \"192.0.2.10\"\nunit = \"u\"\nstart_command = [\"/a\"]\nstop_command = [\"/b\"]\n", "exclude each other"),
        ("[cutover.forward]\nold_address = \"192.0.2.10\"\nunit = \"a unit\"\n", "cutover.forward.unit"),
        ("[cutover.forward]\nold_address = \"192.0.2.10\"\ndovecot_config = \"dovecot.conf\"\n", "absolute path"),
        ("[cutover.forward]\nold_address = \"192.0.2.10\"\nunits = \"u\"\n", "cutover.forward.units"),
        ("[cutover.drain]\nquiet = \"a while\"\n", "cutover.drain.quiet \"a while\" is not a duration"),
    ])
    func refusesMistakes(extra: String, expected: String) {
        #expect { _ = try Self.parse(extra) } throws: { "\($0)".contains(expected) }
    }
}
