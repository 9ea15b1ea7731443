import Logging
import NIOCore
import NIOSSL
import SMTPCodec
import SMTPTransport

extension SMTPClientConnection {
    /// Greeting, EHLO (HELO fallback), STARTTLS per policy, until the session is ready.
    func open() async throws {
        var action = try await nextReply()
        while true {
            switch action {
            case .ready:
                return
            case .send(let commands):
                try await write(commands.map(\.wireString).joined(), timeout: configuration.timeouts.command)
                action = try await nextReply()
            case .waitForReply:
                action = try await nextReply()
            case .startTLS:
                try await startTLS()
                action = machine.tlsEstablished()
            case .fail(let failure):
                isUsable = false
                throw SMTPClientError(.session, failure.description, failure: failure)
            case .sendMessage, .transactionFinished, .close:
                isUsable = false
                throw SMTPClientError(.session, "unexpected reply while opening the session")
            }
        }
    }

    /// QUIT politely; errors no longer matter.
    func quit() async {
        guard isUsable else { return }
        isUsable = false
        _ = machine.quit()
        do {
            try await write(SMTPCommand.quit.wireString, timeout: configuration.timeouts.command)
            _ = try await readReply(timeout: configuration.timeouts.command)
        } catch {
            logger.trace("QUIT failed", metadata: ["smtp.error": "\(error)"])
        }
    }

    func nextReply() async throws -> SMTPClientStateMachine.Action {
        let timeout = machine.awaiting.map(configuration.timeouts.forReply) ?? configuration.timeouts.command
        let reply = try await readReply(timeout: timeout)
        return machine.receivedReply(reply)
    }

    func readReply(timeout: Duration) async throws -> SMTPReply {
        while true {
            do {
                if let reply = try parser.next(from: &input) { return reply }
            } catch {
                isUsable = false
                throw SMTPClientError(.malformedReply, "\(error)")
            }
            deadline.arm(clock.now.advanced(by: timeout))
            let part: SMTPInboundPart?
            do {
                part = try await iterator.next()
            } catch {
                isUsable = false
                if deadline.disarm() { throw SMTPClientError(.timeout, "timed out waiting for a reply") }
                throw SMTPClientError(.connectionClosed, "connection failed: \(error)")
            }
            if deadline.disarm() {
                isUsable = false
                throw SMTPClientError(.timeout, "timed out waiting for a reply")
            }
            switch part {
            case .none:
                isUsable = false
                throw SMTPClientError(.connectionClosed, "connection closed by the server")
            case .bytes(var bytes):
                if !discardingPlaintext { input.writeBuffer(&bytes) }
            case .tlsStarted:
                discardingPlaintext = false
            }
        }
    }

    func write(_ text: String, timeout: Duration) async throws {
        try await write(ByteBuffer(string: text), timeout: timeout)
    }

    func write(_ buffer: ByteBuffer, timeout: Duration) async throws {
        deadline.arm(clock.now.advanced(by: timeout))
        do {
            try await channel.writeAndFlush(buffer)
        } catch {
            isUsable = false
            if deadline.disarm() { throw SMTPClientError(.timeout, "timed out writing") }
            throw SMTPClientError(.connectionClosed, "write failed: \(error)")
        }
        if deadline.disarm() {
            isUsable = false
            throw SMTPClientError(.timeout, "timed out writing")
        }
    }

    /// Dot-stuffed content and the end-of-data line, 64 KiB per write (each write gets the
    /// §4.5.3.2.5 data-block timeout).
    func writeContent(_ content: ArraySlice<UInt8>) async throws {
        var encoder = SMTPDataEncoder()
        var offset = content.startIndex
        repeat {
            let end = min(offset + 65_536, content.endIndex)
            var output = ByteBuffer()
            output.reserveCapacity(end - offset + 1024)
            encoder.encode(ByteBuffer(bytes: content[offset..<end]), into: &output)
            if end == content.endIndex { encoder.finish(into: &output) }
            try await write(output, timeout: configuration.timeouts.dataBlock)
            offset = end
        } while offset < content.endIndex
    }

    /// Drop every byte the server sent after its 220 (§4 S-T3: a reply injected in plaintext
    /// must never count as a TLS-era reply), then start TLS through the gate.
    func startTLS() async throws {
        input.clear()
        parser = SMTPReplyParser()
        discardingPlaintext = true
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        let serverName = configuration.serverName ?? configuration.host
        if configuration.tls == .required {
            if let path = configuration.trustRootsPath { tlsConfiguration.trustRoots = .file(path) }
        } else {
            // Opportunistic TLS (RFC 7435): encrypt, but do not authenticate.
            tlsConfiguration.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: tlsConfiguration)
        let hostname = Self.isIPAddress(serverName) ? nil : serverName
        let request = StartTLSGate.Request(finalPlaintext: nil) { try NIOSSLClientHandler(context: context, serverHostname: hostname) }
        try await channel.triggerUserOutboundEvent(request)
    }

    static func isIPAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}

extension SMTPClientTimeouts {
    var shortest: Duration {
        [connect, greeting, command, mail, recipient, dataInitiation, dataBlock, dataTermination].min()!
    }
}
