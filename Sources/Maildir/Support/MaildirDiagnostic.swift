/// Something a reader or writer noticed and handled, to be reported to the admin.
///
/// Diagnostics never stop the work; they explain a choice that was made (a skipped line,
/// a keyword that did not fit, a folder left for Dovecot to number). Anything that does
/// stop the work is a thrown ``MaildirError`` instead.
public struct MaildirDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: Int, Hashable, Sendable, Comparable, CustomStringConvertible {
        /// A documented choice, nothing lost.
        case info
        /// Something unusual in the input that was handled; nothing lost.
        case warning
        /// Something could not be carried over; the message says what.
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
        public var description: String {
            switch self {
            case .info: return "info"
            case .warning: return "warning"
            case .error: return "error"
            }
        }
    }

    /// A stable code, for tests and for `--json` consumers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let severity: Severity
    public let code: Code
    /// The file or directory concerned.
    public let path: String
    /// 1-based line in `path`, if any.
    public let line: Int?
    /// The message file base name concerned, if any.
    public let messageBase: String?
    public let message: String

    public init(
        _ severity: Severity, _ code: Code, path: String, line: Int? = nil, messageBase: String? = nil, _ message: String
    ) {
        self.severity = severity
        self.code = code
        self.path = path
        self.line = line
        self.messageBase = messageBase
        self.message = message
    }

    public var description: String {
        var text = "\(severity): \(path)"
        if let line { text += ":\(line)" }
        text += ": \(message)"
        if let messageBase { text += " [\(messageBase)]" }
        return text
    }
}
