#!/usr/bin/env python3
"""Record what an IMAP server sends, byte for byte, for fixtures and benchmarks.

    imap-capture.py --host H --port P --ca CA --user U --password-file F [--authzid A] \
        --out FILE [--server-only] COMMAND...

Connects, upgrades with STARTTLS (verifying against CA), logs in (LOGIN, or AUTHENTICATE
PLAIN with --authzid for a Dovecot master user), sends each COMMAND with its own tag and
waits for its completion, then LOGOUT. Literals in COMMAND are written as {n+} (LITERAL+)
or waited for (synchronizing); "\\r\\n" in a COMMAND is a real CRLF.

The output holds the server's bytes in order (greeting included). The login step is
sanitized: it is not recorded from the client side, and the server's response to it
contains no secret. With --server-only only server bytes are written (for the parser
benchmark); otherwise each command is preceded by a line "C: <command>" in a companion
file FILE.commands.
"""
import argparse, base64, re, socket, ssl, sys

LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")


class Session:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.recorded = bytearray()

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise EOFError("server closed the connection")
        self.buffer += data

    def read_line(self):
        """One response line, with any literals it carries (bytes recorded)."""
        out = b""
        while True:
            while b"\r\n" not in self.buffer:
                self._fill()
            index = self.buffer.index(b"\r\n") + 2
            line, self.buffer = self.buffer[:index], self.buffer[index:]
            out += line
            match = LITERAL.search(line)
            if not match:
                break
            count = int(match.group(1))
            while len(self.buffer) < count:
                self._fill()
            out += self.buffer[:count]
            self.buffer = self.buffer[count:]
        self.recorded += out
        return out

    def send(self, data):
        self.sock.sendall(data)

    def until_tagged(self, tag):
        while True:
            line = self.read_line()
            if line.startswith(tag + b" "):
                return line

    def command(self, tag, text):
        """Sends a command; synchronizing literals wait for '+'."""
        parts = re.split(rb"(\{\d+\}\r\n)", text.encode("utf-8"))
        self.send(tag + b" " + parts[0])
        for index in range(1, len(parts), 2):
            self.send(parts[index])
            line = self.read_line()
            if not line.startswith(b"+"):
                return line
            self.send(parts[index + 1])
        self.send(b"\r\n")
        return self.until_tagged(tag)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--authzid")
    parser.add_argument("--out", required=True)
    parser.add_argument("--server-only", action="store_true")
    parser.add_argument("commands", nargs="*")
    args = parser.parse_args()
    password = open(args.password_file, encoding="utf-8").read().split("\n")[0]

    raw = socket.create_connection((args.host, args.port), timeout=60)
    session = Session(raw)
    session.read_line()  # greeting
    session.command(b"S1", "STARTTLS")
    context = ssl.create_default_context(cafile=args.ca)
    session.sock = context.wrap_socket(raw, server_hostname=args.host)
    if args.authzid:
        token = base64.b64encode(f"{args.authzid}\0{args.user}\0{password}".encode()).decode()
        session.send(b"L1 AUTHENTICATE PLAIN\r\n")
        session.read_line()
        session.send(token.encode() + b"\r\n")
        reply = session.until_tagged(b"L1")
    else:
        quoted = password.replace("\\", "\\\\").replace('"', '\\"')
        session.send(f'L1 LOGIN "{args.user}" "{quoted}"\r\n'.encode())
        reply = session.until_tagged(b"L1")
    if b" OK" not in reply[:6]:
        sys.exit("login failed: " + reply.decode(errors="replace"))
    commands_log = []
    for number, text in enumerate(args.commands, start=1):
        text = text.replace("\\r\\n", "\r\n")
        commands_log.append(f"C{number} {text}")
        session.command(f"C{number}".encode(), text)
    session.command(b"Z1", "LOGOUT")
    with open(args.out, "wb") as out:
        out.write(bytes(session.recorded))
    if not args.server_only:
        with open(args.out + ".commands", "w", encoding="utf-8") as out:
            out.write("\n".join(["S1 STARTTLS", "L1 LOGIN [sanitized]"] + commands_log + ["Z1 LOGOUT"]) + "\n")
    print(f"{len(session.recorded)} bytes -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
