import MailModel

/// Writes the spool's JSON lines (a queue file's envelope, status and finished records) by
/// hand, byte for byte as Foundation's `JSONEncoder` with sorted keys and unescaped slashes
/// writes them, so files of either stay alike and are read by the one `JSONDecoder`.
/// Every mirrored message costs three of these records, and Foundation's encoder (its
/// boxing and generic dispatch per value) was a visible share of the mirror's CPU.
struct SpoolJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array already holds a value.
    private var filled: [Bool] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        filled.append(false)
    }

    mutating func endObject() {
        filled.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        filled.append(false)
    }

    mutating func endArray() {
        filled.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// A member's name; its value follows.
    mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        filled[filled.count - 1] = false  // the value is no new member
    }

    /// A member whose value is a string, an integer or a bool.
    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func member(_ name: String, _ value: Int) {
        key(name)
        integer(value)
    }

    mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func member(_ name: String, number value: Double) throws(SpoolError) {
        key(name)
        try number(value)
    }

    mutating func string(_ value: String) {
        separate()
        quoted(value)
    }

    mutating func integer(_ value: Int) {
        separate()
        bytes += String(value).utf8
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes += (value ? "true" : "false").utf8
    }

    /// The shortest form that reads back as the same value; a whole number without `.0`, as
    /// `JSONEncoder` writes it. NaN and the infinities have no JSON form.
    mutating func number(_ value: Double) throws(SpoolError) {
        guard value.isFinite else { throw SpoolError(.io, "encode record: \(value) has no JSON form") }
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes += text.utf8
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// An object of strings, its keys in the order of their UTF-8 bytes (`.sortedKeys`).
    mutating func stringMap(_ values: [String: String]) {
        beginObject()
        for (name, value) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            member(name, value)
        }
        endObject()
    }

    /// The line's end: the bytes with LF.
    consuming func line() -> [UInt8] {
        bytes.append(10)
        return bytes
    }

    private mutating func separate() {
        guard let last = filled.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        filled[filled.count - 1] = true
    }

    private mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A record the spool writes as one JSON line.
protocol SpoolJSONLine {
    func write(to writer: inout SpoolJSONWriter) throws(SpoolError)
}

extension SpoolJSONLine {
    func jsonLine() throws(SpoolError) -> [UInt8] {
        var writer = SpoolJSONWriter()
        try write(to: &writer)
        return writer.line()
    }
}

// Members in the order `.sortedKeys` puts them.

extension SpoolJSONWriter {
    /// A recipient's last reply and state, as status and finished records both hold them.
    mutating func outcome(reply: String, state: RecipientState) {
        member("reply", reply)
        member("state", state.rawValue)
    }
}

extension SpoolEnvelope: SpoolJSONLine {
    func write(to writer: inout SpoolJSONWriter) throws(SpoolError) {
        writer.beginObject()
        writer.member("body", body.rawValue)
        writer.member("id", id.rawValue)
        writer.key("metadata")
        writer.stringMap(metadata)
        try writer.member("receivedAt", number: receivedAt)
        writer.key("recipients")
        writer.strings(recipients)
        writer.member("sender", sender)
        writer.member("smtpUTF8", smtpUTF8)
        writer.endObject()
    }
}

extension SpoolStatusRecord: SpoolJSONLine {
    func write(to writer: inout SpoolJSONWriter) throws(SpoolError) {
        writer.beginObject()
        try writer.member("at", number: at)
        if let nextAttemptAt { try writer.member("nextAttemptAt", number: nextAttemptAt) }
        writer.key("results")
        writer.beginArray()
        for result in results {
            writer.beginObject()
            writer.member("index", result.index)
            writer.outcome(reply: result.reply, state: result.state)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}

extension FinishedRecord: SpoolJSONLine {
    func write(to writer: inout SpoolJSONWriter) throws(SpoolError) {
        writer.beginObject()
        writer.member("attempts", attempts)
        writer.member("bodyLength", bodyLength)
        try writer.member("finishedAt", number: finishedAt)
        writer.member("id", id.rawValue)
        writer.key("metadata")
        writer.stringMap(metadata)
        try writer.member("receivedAt", number: receivedAt)
        writer.key("recipients")
        writer.beginArray()
        for recipient in recipients {
            writer.beginObject()
            writer.member("address", recipient.address)
            writer.outcome(reply: recipient.reply, state: recipient.state)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}
