import Logging

/// A logger that discards everything (the client library never creates its own).
let testLogger = Logger(label: "mailferry.test", factory: { _ in SwiftLogNoOpLogHandler() })
