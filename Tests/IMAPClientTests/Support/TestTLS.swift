import Foundation
import NIOSSL

/// The test-only CA and server certificate in Fixtures/TLS.
enum TestTLS {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/TLS")!.path
    }

    static var caFile: String { path("ca.crt") }

    static func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(path("server.crt")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: path("server.key"), format: .pem))
        )
        return try NIOSSLContext(configuration: configuration)
    }
}
