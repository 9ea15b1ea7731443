import Foundation

/// An IMAP client (Python's imaplib, STARTTLS, certificate verified) whose DNS stays on the
/// old host's address through a move, driven one command at a time over its stdin so the
/// test decides when each poll happens (no timers): `poll` connects, logs in, reads the
/// INBOX's subjects and logs out; `open` keeps a session logged in; `noop` sends NOOP on it;
/// `append SUBJECT` stores a message (the test's setup, through the same path); `uids` is a
/// poll that answers what a caching client keys on: `ok UIDVALIDITY UID:SUBJECT|...` in UID
/// order. Each command answers one line: `ok SUBJECT|SUBJECT...` or `err ExceptionClass`.
/// Unchecked: one caller at a time drives it (each command waits for its answer).
public final class PollingIMAPClient: @unchecked Sendable {
    static let script = """
        import imaplib, os, re, socket, ssl, sys
        port, user, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        context = ssl.create_default_context(cafile=ca)
        password = os.environ["MAILFERRY_TEST_PASSWORD"]
        session = None
        def login():
            client = imaplib.IMAP4("127.0.0.1", port, timeout=30)
            client.starttls(ssl_context=context)
            client.login(user, password)
            return client
        def subjects(client):
            client.select("INBOX", readonly=True)
            status, data = client.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            found = [part[1].decode().strip().split(": ", 1)[1] for part in data if isinstance(part, tuple)]
            return "|".join(sorted(found))
        def uids(client):
            client.select("INBOX", readonly=True)
            validity = client.response("UIDVALIDITY")[1][0].decode()
            status, data = client.uid("fetch", "1:*", "(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            found = sorted((int(re.search(rb"UID (\\d+)", part[0]).group(1)), part[1].decode().strip().split(": ", 1)[1])
                           for part in data if isinstance(part, tuple))
            return validity + " " + "|".join("%d:%s" % pair for pair in found)
        for line in sys.stdin:
            command = line.strip()
            try:
                if command == "poll":
                    client = login()
                    text = subjects(client)
                    client.logout()
                    print("ok", text, flush=True)
                elif command == "uids":
                    client = login()
                    text = uids(client)
                    client.logout()
                    print("ok", text, flush=True)
                elif command == "open":
                    session = login()
                    print("ok", subjects(session), flush=True)
                elif command.startswith("append "):
                    client = login()
                    message = "Subject: %s\\r\\nFrom: a@example.test\\r\\n\\r\\nbody\\r\\n" % command[7:]
                    client.append("INBOX", None, None, message.encode())
                    client.logout()
                    print("ok", flush=True)
                elif command == "noop":
                    session.noop()
                    print("ok", flush=True)
            except Exception as error:
                print("err", type(error).__name__, flush=True)
        """

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()

    public init(port: Int, user: String, password: String, caFile: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, "\(port)", user, caFile]
        process.environment = ["MAILFERRY_TEST_PASSWORD": password, "PATH": "/usr/bin:/bin"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Sends `command` and returns its answer line (blocking until the client prints it; each
    /// of its network operations has a 30 s timeout).
    public func send(_ command: String) throws -> String {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Spawn.Failure(description: "the IMAP client exited during `\(command)`") }
            pending.append(chunk)
        }
    }

    public func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
