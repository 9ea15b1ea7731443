public import NIOCore

/// Decodes the DATA phase: finds the end-of-data line, removes dot-stuffing and checks line
/// endings, NUL bytes and line lengths (RFC 5321 §4.5.2, §4.5.3.1.6).
///
/// The output is the message exactly as the client meant it, with CRLF line ends. A bare CR
/// or LF is written as CRLF and reported in `violations`; the caller's policy decides whether
/// the message is then rejected. Only `<CR><LF>.<CR><LF>` ends the data: `<LF>.<LF>`,
/// `<CR>.<CR>` and every other smuggling variant are content (§4 S-D1, S-D2). The decoder
/// never buffers: bytes go straight to `output`, so a 10 MiB line costs no memory.
public struct SMTPDataDecoder: Hashable, Sendable {
    public struct Violations: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bareLF = Violations(rawValue: 1)
        public static let bareCR = Violations(rawValue: 2)
        public static let nul = Violations(rawValue: 4)
        public static let lineTooLong = Violations(rawValue: 8)
    }

    public enum Result: Hashable, Sendable {
        case needMoreData
        case endOfData
    }

    enum State: Hashable, Sendable {
        case lineStart(afterCRLF: Bool)
        case dot(afterCRLF: Bool)
        case dotCR(afterCRLF: Bool)
        case inLine
        case carriageReturn
        case finished
    }

    /// Octets per line, CRLF included, before `.lineTooLong` is reported.
    public let lineLimit: Int
    public private(set) var violations: Violations = []
    /// Octets written to the output so far.
    public private(set) var decodedByteCount = 0
    /// Octets read from the input so far (what the client sent).
    public private(set) var encodedByteCount = 0
    private var state: State = .lineStart(afterCRLF: true)
    private var lineLength = 0

    /// Initialize a decoder for one message.
    public init(lineLimit: Int = SMTPDefaults.textLineLimit) {
        self.lineLimit = lineLimit
    }

    /// Decode as much of `input` as possible into `output`. Bytes after the end-of-data line
    /// stay in `input` (they are the next command, pipelined).
    public mutating func decode(_ input: inout ByteBuffer, into output: inout ByteBuffer) -> Result {
        if state == .finished { return .endOfData }
        let before = output.writerIndex
        var consumed = 0
        let result = input.withUnsafeReadableBytes { raw -> Result in
            var index = 0
            let count = raw.count
            while index < count {
                switch state {
                case .inLine:
                    var end = index
                    while end < count {
                        let byte = raw[end]
                        if byte == 13 || byte == 10 || byte == 0 { break }
                        end += 1
                    }
                    if end > index {
                        output.writeBytes(UnsafeRawBufferPointer(rebasing: raw[index..<end]))
                        countLine(end - index)
                        index = end
                    }
                    guard index < count else { break }
                    let byte = raw[index]
                    index += 1
                    switch byte {
                    case 13: state = .carriageReturn
                    case 10: lineBreak(&output, violation: .bareLF)
                    default:
                        violations.insert(.nul)
                        output.writeInteger(UInt8(0))
                        countLine(1)
                    }
                case .carriageReturn:
                    if raw[index] == 10 {
                        index += 1
                        lineBreak(&output, violation: nil)
                    } else {
                        lineBreak(&output, violation: .bareCR)
                    }
                case .lineStart(let afterCRLF):
                    lineLength = 0
                    if raw[index] == UInt8(ascii: ".") {
                        index += 1
                        state = .dot(afterCRLF: afterCRLF)
                    } else {
                        state = .inLine
                    }
                case .dot(let afterCRLF):
                    switch raw[index] {
                    case 13:
                        index += 1
                        state = .dotCR(afterCRLF: afterCRLF)
                    case 10:
                        index += 1
                        output.writeInteger(UInt8(ascii: "."))
                        lineBreak(&output, violation: .bareLF)
                    default:
                        // A stuffed dot: drop it, the rest of the line is content. It does not
                        // count toward the line limit (RFC 5321 §4.5.3.1.6).
                        state = .inLine
                    }
                case .dotCR(let afterCRLF):
                    if raw[index] == 10 {
                        index += 1
                        if afterCRLF {
                            state = .finished
                            consumed = index
                            return .endOfData
                        }
                        output.writeInteger(UInt8(ascii: "."))
                        lineBreak(&output, violation: nil)
                    } else {
                        output.writeInteger(UInt8(ascii: "."))
                        lineBreak(&output, violation: .bareCR)
                    }
                case .finished:
                    consumed = index
                    return .endOfData
                }
            }
            consumed = count
            return .needMoreData
        }
        input.moveReaderIndex(forwardBy: consumed)
        encodedByteCount += consumed
        decodedByteCount += output.writerIndex - before
        return result
    }

    private mutating func lineBreak(_ output: inout ByteBuffer, violation: Violations?) {
        output.writeInteger(UInt16(0x0D0A))
        if let violation { violations.insert(violation) }
        state = .lineStart(afterCRLF: violation == nil)
    }

    private mutating func countLine(_ bytes: Int) {
        lineLength += bytes
        if lineLength + 2 > lineLimit { violations.insert(.lineTooLong) }
    }
}
