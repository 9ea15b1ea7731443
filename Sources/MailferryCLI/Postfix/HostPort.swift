import ArgumentParser

/// `HOST:PORT` options (`127.0.0.1:10026`, `[::1]:25`).
enum HostPort {
    static func parse(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            throw ValidationError("\(option) takes HOST:PORT, e.g. 127.0.0.1:10026")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("\(option) takes HOST:PORT, e.g. 127.0.0.1:10026") }
        return (host, port)
    }
}
