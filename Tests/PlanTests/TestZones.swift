/// The zones of the DNS integration tests: a "root" that delegates `example.test` to its
/// own server, with the traps a real move meets: a 2-day TTL on the MX host's address, a
/// backup MX elsewhere, IPv6 only on the old side, SPF without the new address, DANE,
/// MTA-STS, a DKIM key, client names by CNAME and SRV, and an answer too big for UDP.
enum TestZones {
    static let oldV4 = "192.0.2.10"
    static let oldV6 = "2001:db8::10"
    static let backup = "192.0.2.99"
    static let new = "198.51.100.20"

    /// Served on 127.0.0.1: the parent zone `test.` (a referral to 127.0.0.2 with glue) and
    /// the reverse zone of the new address.
    static let parent = """
        $ORIGIN test.
        $TTL 86400
        @ SOA ns hostmaster 1 7200 900 1209600 300
        @ NS ns
        ns A 127.0.0.1
        example NS ns1.example.test.
        ns1.example A 127.0.0.2
        kept NS ns1.example.test.
        hosted NS ns1.example.test.
        mx.provider 3600 A \(oldV4)

        """

    static let reverse = """
        $ORIGIN 100.51.198.in-addr.arpa.
        $TTL 86400
        @ SOA ns.test. hostmaster.test. 1 7200 900 1209600 300
        @ NS ns.test.
        20 PTR mx2.example.test.

        """

    /// Served on 127.0.0.2.
    static let example = """
        $ORIGIN example.test.
        $TTL 3600
        @ SOA ns1 hostmaster 2026120601 7200 900 1209600 300
        @ NS ns1
        ns1 A 127.0.0.2
        @ 86400 MX 10 mail
        @ 86400 MX 20 backup
        mail 172800 A \(oldV4)
        mail AAAA \(oldV6)
        backup A \(backup)
        mx2 A \(new)
        @ TXT "v=spf1 ip4:\(oldV4) -all"
        _25._tcp.mail TLSA 3 1 1 abababababababababababababababababababababababababababababababab
        _mta-sts TXT "v=STSv1; id=2026120601"
        mail._domainkey 14400 TXT "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC5"
        imap 7200 CNAME mail
        autoconfig 600 A \(new)
        _submission._tcp SRV 0 1 587 mail
        big TXT "\(String(repeating: "a", count: 250))" "\(String(repeating: "b", count: 250))" "\(String(repeating: "c", count: 250))" "\(String(repeating: "d", count: 250))" "\(String(repeating: "e", count: 250))"

        """

    /// Served on 127.0.0.2 next to `example.test`: the usual MX 86400 s over an A of
    /// 3600 s, the MX name inside the domain, so it can stay and only the A counts; an SOA
    /// whose own TTL is below its minimum, which then bounds negative caching.
    static let kept = """
        $ORIGIN kept.test.
        $TTL 3600
        @ 600 SOA ns1.example.test. hostmaster 2026120701 7200 900 1209600 900
        @ NS ns1.example.test.
        @ 86400 MX 10 mx
        mx A \(oldV4)

        """

    /// Served on 127.0.0.2: the MX names the old provider's host `mx.provider.test` (in
    /// the parent zone, A 3600 s), which the domain cannot re-point: the MX must change.
    static let hosted = """
        $ORIGIN hosted.test.
        $TTL 3600
        @ SOA ns1.example.test. hostmaster 2026120701 7200 900 1209600 300
        @ NS ns1.example.test.
        @ 86400 MX 10 mx.provider.test.

        """
}
