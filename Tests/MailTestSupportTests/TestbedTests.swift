import Foundation
import MailTestSupport
import Testing

@Suite struct TestbedTests {
    /// The shape scripts/testbed writes (schema 1), trimmed to two users.
    static let sample = """
        {
          "schemaVersion": 1,
          "stateDir": "/r/.testbed",
          "script": "/r/scripts/testbed",
          "caFile": "/r/.testbed/tls/ca.crt",
          "old": {
            "software": "courier", "domain": "old.test",
            "imap": { "host": "127.0.0.1", "port": 10143, "tls": "starttls" },
            "pop3": { "host": "127.0.0.1", "port": 10110, "tls": "starttls" },
            "smtp": { "host": "127.0.0.1", "port": 10025 },
            "homePattern": "/r/.testbed/old/home/{user}",
            "maildirPattern": "/r/.testbed/old/home/{user}/Maildir",
            "postfixConfigDir": "/r/.testbed/old/postfix",
            "courierConfigDir": "/r/.testbed/old/courier",
            "logDir": "/r/.testbed/log"
          },
          "new": {
            "software": "dovecot", "domain": "new.test",
            "imap": { "host": "127.0.0.1", "port": 20143, "tls": "starttls" },
            "pop3": { "host": "127.0.0.1", "port": 20110, "tls": "starttls" },
            "smtp": { "host": "127.0.0.1", "port": 20025 },
            "lmtp": { "host": "127.0.0.1", "port": 20024 },
            "homePattern": "/r/.testbed/new/mail/{user}",
            "maildirPattern": "/r/.testbed/new/mail/{user}/Maildir",
            "mailOwner": "tbvmail",
            "postfixConfigDir": "/r/.testbed/new/postfix",
            "dovecotConfig": "/r/.testbed/new/dovecot/dovecot.conf",
            "pop3UIDLFormat": "%08Xu%08Xv",
            "quotaBackend": "count",
            "masterUser": { "name": "tbmigrator", "passwordFile": "/r/.testbed/secrets/tbmigrator.password", "separator": "*" },
            "logDir": "/r/.testbed/log"
          },
          "users": [
            {
              "name": "tbalice", "passwordFile": "/r/.testbed/secrets/tbalice.password",
              "oldAddress": "tbalice@old.test", "newAddress": "tbalice@new.test",
              "oldHome": "/r/.testbed/old/home/tbalice", "oldMaildir": "/r/.testbed/old/home/tbalice/Maildir",
              "newHome": "/r/.testbed/new/mail/tbalice", "newMaildir": "/r/.testbed/new/mail/tbalice/Maildir",
              "quota": null
            },
            {
              "name": "tbquota1", "passwordFile": "/r/.testbed/secrets/tbquota1.password",
              "oldAddress": "tbquota1@old.test", "newAddress": "tbquota1@new.test",
              "oldHome": "/r/.testbed/old/home/tbquota1", "oldMaildir": "/r/.testbed/old/home/tbquota1/Maildir",
              "newHome": "/r/.testbed/new/mail/tbquota1", "newMaildir": "/r/.testbed/new/mail/tbquota1/Maildir",
              "quota": { "storage": "200K", "bytes": 204800, "dovecotRule": "*:storage=200K" }
            }
          ]
        }
        """

    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("testbed-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func decodesWhatTheScriptWrites() throws {
        let url = try Self.write(Self.sample)
        defer { try? FileManager.default.removeItem(at: url) }
        let testbed = try Testbed.load(from: url)
        #expect(testbed.old.imap.port == 10143)
        #expect(testbed.new.lmtp?.port == 20024)
        #expect(testbed.old.lmtp == nil)
        #expect(testbed.new.maildir(of: "tbbob") == "/r/.testbed/new/mail/tbbob/Maildir")
        #expect(testbed.old.home(of: "tbbob") == "/r/.testbed/old/home/tbbob")
        #expect(testbed.new.masterUser?.loginName(actingAs: "tbalice") == "tbalice*tbmigrator")
        #expect(try testbed.user("tbalice").newAddress == "tbalice@new.test")
        #expect(throws: TestbedUnavailable.self) { try testbed.user("tbnobody") }
        #expect(try testbed.old.requirePOP3().port == 10110)
        #expect(testbed.new.pop3?.port == 20110)
        #expect(testbed.new.mailOwner == "tbvmail")
        #expect(testbed.new.pop3UIDLFormat == "%08Xu%08Xv")
        #expect(try testbed.user("tbalice").quota == nil)
        #expect(try testbed.user("tbquota1").quota == .kibibytes(200))
        #expect(try testbed.user("tbquota1").quota?.bytes == 204_800)
    }

    /// A testbed.json from before POP3 and quotas: still readable; POP3 is then missing
    /// with a reason, and nobody has a quota.
    @Test func readsAFileFromBeforePOP3AndQuotas() throws {
        var text = Self.sample
        for line in [
            #""pop3": { "host": "127.0.0.1", "port": 10110, "tls": "starttls" },"#,
            #""pop3": { "host": "127.0.0.1", "port": 20110, "tls": "starttls" },"#,
            #""pop3UIDLFormat": "%08Xu%08Xv","#, #""quotaBackend": "count","#,
        ] {
            #expect(text.contains(line))
            text = text.replacingOccurrences(of: line, with: "")
        }
        text = text.replacingOccurrences(of: #",\s*"quota": null"#, with: "", options: .regularExpression)
        #expect(!text.contains(#""quota": null"#))
        let url = try Self.write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let testbed = try Testbed.load(from: url)
        #expect(testbed.old.pop3 == nil)
        #expect(throws: TestbedUnavailable.self) { try testbed.new.requirePOP3() }
        #expect(try testbed.user("tbalice").quota == nil)
    }

    @Test func refusesAnotherSchemaVersion() throws {
        let url = try Self.write(Self.sample.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2"))
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TestbedUnavailable.self) { try Testbed.load(from: url) }
    }

    @Test(arguments: [("testpass\n", "testpass"), ("s3cret", "s3cret"), ("a b\nsecond line\n", "a b")])
    func passwordIsTheFirstLine(contents: String, expected: String) throws {
        let url = try Self.write(contents)
        defer { try? FileManager.default.removeItem(at: url) }
        let master = try JSONDecoder().decode(
            TestbedMasterUser.self, from: Data(#"{"name":"m","passwordFile":"\#(url.path)","separator":"*"}"#.utf8))
        #expect(try master.password() == expected)
    }

    @Test func emptyPasswordFileIsAnError() throws {
        let url = try Self.write("")
        defer { try? FileManager.default.removeItem(at: url) }
        let master = try JSONDecoder().decode(
            TestbedMasterUser.self, from: Data(#"{"name":"m","passwordFile":"\#(url.path)","separator":"*"}"#.utf8))
        #expect(throws: TestbedUnavailable.self) { try master.password() }
    }
}
