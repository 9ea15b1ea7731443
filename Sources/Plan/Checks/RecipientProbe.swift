import MailModel
import SMTPClient
import SMTPCodec

/// Asks the new server whether it would accept each address, without sending mail:
/// `MAIL FROM:<>`, one `RCPT TO` per address, `RSET`, and `QUIT`. A few addresses per
/// connection, because Postfix drops a client after smtpd_hard_error_limit rejections.
/// During the mirror phase this tests the new server's current rules, not its post-switch
/// configuration: run it against the configuration that will be live after the switch.
public struct RecipientProbe: Sendable {
    public var host: String
    public var port: Int
    public var heloName = "mailferry-plan.invalid"
    public var perConnection = 8
    public var timeout: Duration = .seconds(30)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Each address with the server's reply to its RCPT.
    public func probe(_ addresses: [String]) async throws -> [(address: String, reply: SMTPReply)] {
        var results: [(address: String, reply: SMTPReply)] = []
        var start = 0
        while start < addresses.count {
            let batch = addresses[start..<min(addresses.count, start + perConnection)]
            start += perConnection
            let connection = try await SMTPCommandConnection.open(host: host, port: port, timeout: timeout)
            do {
                _ = try await connection.hello(heloName)
                let mail = try await connection.send(.mail(.null, MailParameters()))
                for address in batch {
                    guard mail.isPositiveCompletion else {
                        results.append((address, mail))
                        continue
                    }
                    guard let parsed = EmailAddress(address) else {
                        results.append((address, SMTPReply(code: 501, nil, "not an address mailferry can send to")))
                        continue
                    }
                    results.append((address, try await connection.send(.recipient(.mailbox(parsed), RecipientParameters()))))
                }
                _ = try await connection.send(.reset)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
        return results
    }
}
