import Foundation
import IMAPClient
import IMAPCodec
import Logging
import MailModel
import TestbedClient
import NIOCore

/// The benchmark's source account on Courier: always the same name, refilled with the
/// benchmark profile at the start of every run (`mailferry-corpus --replace`), so every run
/// copies the same bytes; the corpus depends on the seed, the account name and the sizes.
struct BenchSource {
    static let accountName = "tbsyncbench"

    let user: TestbedUser
    /// Courier's totals, read over IMAP after the fill (which also warms Courier up: it
    /// builds each folder's UID database on first access).
    var totals: ReadBound.Totals

    /// Creates or refills the account: `messages` messages (`large` of them 1-25 MB) in INBOX
    /// and `folders` more folders.
    static func prepare(rig: SyncBenchRig, messages: Int, large: Int, folders: Int) async throws -> BenchSource {
        let user = try rig.ensureAccount(accountName)
        try ExternalProgram.run(rig.binary("mailferry-corpus"), [
            "--testbed", (rig.testbed.stateDir as NSString).appendingPathComponent("testbed.json"), "--user", user.name,
            "--messages", String(messages), "--large", String(large), "--folders", String(folders), "--replace", "--quiet",
        ])
        let totals = try await ReadBound.readAll(rig.sourceEndpoint, try rig.sourceCredentials(user))
        return BenchSource(user: user, totals: totals)
    }

    /// Reads the whole account once more (warm caches, current totals).
    mutating func refresh(rig: SyncBenchRig) async throws {
        totals = try await ReadBound.readAll(rig.sourceEndpoint, try rig.sourceCredentials(user))
    }

    /// APPENDs one message of about `megabytes` MB (a text part and a base64 attachment of
    /// seeded pseudo-random bytes) to the source's INBOX.
    func appendLargeMessage(megabytes: Int, rig: SyncBenchRig) async throws -> Int {
        let message = Self.largeMessage(bytes: megabytes * 1_048_576)
        let logger = Logger(label: "mailferry.bench") { _ in SwiftLogNoOpLogHandler() }
        try await IMAPConnection.withConnection(to: rig.sourceEndpoint, logger: logger) { connection in
            try await connection.authenticate(try rig.sourceCredentials(user))
            _ = try await connection.append(AppendMessage(flags: [.seen], body: .bytes(message)), to: .inbox)
        }
        return message.readableBytes
    }

    static func largeMessage(bytes target: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(target + 1024)
        buffer.writeString("""
            From: Bench Sender <sender@old.test>\r
            To: \(accountName)@old.test\r
            Subject: mailferry benchmark: one very large message\r
            Date: Mon, 01 Jan 2024 12:00:00 +0000\r
            Message-ID: <large-\(target)@bench.mailferry.invalid>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="bench-boundary"\r
            \r
            --bench-boundary\r
            Content-Type: text/plain; charset=us-ascii\r
            \r
            A large attachment follows.\r
            --bench-boundary\r
            Content-Type: application/octet-stream; name="large.bin"\r
            Content-Transfer-Encoding: base64\r
            Content-Disposition: attachment; filename="large.bin"\r
            \r

            """)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var line = [UInt8](repeating: 0, count: 78)
        line[76] = 13
        line[77] = 10
        while buffer.readableBytes + line.count + 20 < target {
            for index in 0..<76 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line[index] = alphabet[Int(state >> 58)]
            }
            buffer.writeBytes(line)
        }
        buffer.writeString("--bench-boundary--\r\n")
        return buffer
    }
}
