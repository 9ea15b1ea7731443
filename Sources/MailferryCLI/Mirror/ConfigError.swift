/// A configuration file is unreadable or wrong. The message names the file and the key.
struct ConfigError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
