import Glibc

/// Reads a message file in chunks, for streaming a body to a destination without holding
/// it in memory.
public final class MessageFileReader {
    public let path: String
    /// Size when opened.
    public let size: Int64
    private var fd: Int32

    public init(path: String) throws(MaildirError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.error("open", path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = Glibc.errno
            Glibc.close(fd)
            throw FileSystem.error("fstat", path, code)
        }
        self.fd = fd
        self.path = path
        self.size = Int64(st.st_size)
    }

    /// Fill the start of `buffer`; returns the number of bytes read, 0 at the end.
    public func read(into buffer: inout [UInt8]) throws(MaildirError) -> Int {
        guard fd >= 0 else { throw MaildirError(.invalidArgument, path: path, detail: "read after close") }
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if Glibc.errno != EINTR { throw FileSystem.error("read", path) }
        }
    }

    /// The next chunk of at most `maxBytes`; empty at the end.
    public func read(upTo maxBytes: Int = 256 * 1024) throws(MaildirError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        let count = try read(into: &buffer)
        buffer.removeSubrange(count...)
        return buffer
    }

    /// Hands the open descriptor to the caller, who closes it; the reader is closed.
    public func takeDescriptor() -> Int32 {
        defer { fd = -1 }
        return fd
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
