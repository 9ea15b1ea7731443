import Glibc
import Synchronization

/// Generates unique base names for new message files, in the form both servers use:
/// `<seconds>.M<microseconds>P<pid>Q<counter>.<hostname>`.
///
/// The counter (one for the whole process, shared by every instance) makes names unique
/// within the process even within one microsecond; the
/// pid and hostname make them unique across processes and hosts (qmail's rules).
/// Characters of the host name that would break the name (`/`, `:`, `,`) are written as
/// octal escapes, as the Maildir specification prescribes for `/` and `:`.
public final class MaildirUniqueName: Sendable {
    private static let counter = Atomic<UInt64>(0)
    private let host: String
    private let pid: Int32

    public init(hostname: String? = nil) {
        self.host = MaildirUniqueName.sanitize(hostname ?? MaildirUniqueName.systemHostname())
        self.pid = getpid()
    }

    /// The next unique base name (without `,S=` and flags).
    public func next() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let number = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(now.tv_sec).M\(now.tv_nsec / 1000)P\(pid)Q\(number).\(host)"
    }

    static func systemHostname() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let ok = buffer.withUnsafeMutableBytes { gethostname($0.baseAddress!.assumingMemoryBound(to: CChar.self), 255) }
        guard ok == 0, let end = buffer.firstIndex(of: 0), end > 0 else { return "localhost" }
        return String(decoding: buffer[..<end], as: UTF8.self)
    }

    static func sanitize(_ host: String) -> String {
        var out = ""
        for scalar in host.unicodeScalars {
            switch scalar {
            case "/": out += "\\057"
            case ":": out += "\\072"
            case ",": out += "\\054"
            default:
                if scalar.value < 0x21 || scalar.value > 0x7E { out += "_" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out.isEmpty ? "localhost" : out
    }
}
