import Glibc

/// `strerror` without the thread-safety worries: copies the text out at once.
enum SystemErrorText {
    static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        // The XSI strerror_r: fills the buffer, returns 0 on success.
        guard strerror_r(code, &buffer, buffer.count) == 0 else { return "errno \(code)" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return "errno \(code): \(String(decoding: bytes, as: UTF8.self))"
    }
}
