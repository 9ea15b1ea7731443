import Foundation
import MailTestSupport
import Testing

/// Every server offers STARTTLS with a certificate that verifies against testbed.json's CA
/// for the address 127.0.0.1, so clients can keep verification on. Checked with openssl
/// s_client, independently of the product's TLS code.
@Suite(.tags(.integration), .requiresTestbed)
struct TLSTests {
    @Test(arguments: ["old imap", "new imap", "old pop3", "new pop3", "old smtp", "new smtp"])
    func startTLSVerifiesAgainstTheTestbedCA(service: String) async throws {
        let testbed = try Testbed.require()
        let server = service.hasPrefix("old") ? testbed.old : testbed.new
        let proto = String(service.split(separator: " ")[1])
        let endpoint = switch proto {
        case "imap": server.imap
        case "pop3": try server.requirePOP3()
        default: server.smtp
        }
        let result = try await runOpenSSL([
            "s_client", "-connect", "\(endpoint)", "-starttls", proto,
            "-CAfile", testbed.caFile, "-verify_return_error", "-verify_ip", endpoint.host,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Verify return code: 0 (ok)"), "\(result.output)")
    }

    func runOpenSSL(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice  // EOF: s_client closes after the handshake
        return try await LineSocket.blocking {
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }
}
