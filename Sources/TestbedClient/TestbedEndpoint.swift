/// A TCP service of the testbed, always on loopback.
public struct TestbedEndpoint: Sendable, Decodable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// `starttls` when the service offers STARTTLS with the testbed CA's certificate.
    public let tls: String?

    public init(host: String, port: Int, tls: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    public var description: String { "\(host):\(port)" }
}
