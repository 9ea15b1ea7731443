import Foundation
import MailModel
import MailTestSupport
import Testing

@testable import MailSpool

/// The spool's JSON lines are written by hand: byte for byte what `JSONEncoder` (sorted keys,
/// slashes unescaped) writes, so files of either read back alike, for any text and number.
@Suite struct SpoolJSONWriterTests {
    static let pieces = [
        "a", "Z", "0", " ", "/", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é",
        "e\u{301}", "ß", "日本", "😀", "<>", "user@example.com", "mirror.original-recipient.0", "message-id",
    ]
    static let numbers: [Double] = [0, 1, -1, 1_796_689_509, 1_796_689_509.152766, 0.1, 1e-7, 123_456_789_012_345_680, 1e300, 2.5e-300]

    static func text(_ random: inout SeededRandom) -> String {
        (0..<random.next(below: 6)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
    }

    static func number(_ random: inout SeededRandom) -> Double {
        random.next(below: 2) == 0 ? numbers[random.next(below: numbers.count)] : Double(random.next(below: 1 << 40)) / 1_000_000
    }

    static func envelope(_ random: inout SeededRandom) -> SpoolEnvelope {
        var envelope = SpoolEnvelope(
            id: QueueID.make(unixTime: 1_796_689_509), receivedAt: number(&random),
            envelope: MailEnvelope(sender: .null, recipients: [], body: random.next(below: 2) == 0 ? .sevenBit : .eightBitMIME,
                                   smtpUTF8: random.next(below: 2) == 0))
        envelope.sender = text(&random)
        envelope.recipients = (0..<random.next(below: 4)).map { _ in text(&random) }
        envelope.metadata = Dictionary((0..<random.next(below: 5)).map { _ in (text(&random), text(&random)) }, uniquingKeysWith: { a, _ in a })
        return envelope
    }

    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [10]
    }

    @Test func writesWhatJSONEncoderWrites() throws {
        var random = SeededRandom.forTest("SpoolJSONWriterTests")
        for round in 0..<300 {
            let envelope = Self.envelope(&random)
            let envelopeLine = try envelope.jsonLine()
            #expect(envelopeLine == (try Self.encoded(envelope)), "round \(round), seed \(random.seed)")
            #expect(try JSONDecoder().decode(SpoolEnvelope.self, from: Data(envelopeLine.dropLast())) == envelope)

            let states = RecipientState.allCases
            let status = SpoolStatusRecord(
                at: Self.number(&random),
                results: (0..<random.next(below: 3)).map { index in
                    .init(index: index, state: states[random.next(below: states.count)], reply: Self.text(&random))
                },
                nextAttemptAt: random.next(below: 2) == 0 ? nil : Self.number(&random))
            #expect(try status.jsonLine() == (try Self.encoded(status)), "round \(round), seed \(random.seed)")

            var entry = SpoolEntry(
                envelope: envelope, bodyLength: random.next(below: 100_000), contains8Bit: false,
                states: envelope.recipients.map { _ in states[random.next(below: states.count)] },
                attempts: random.next(below: 5), nextAttemptAt: nil, held: false)
            entry.lastReplies = envelope.recipients.map { _ in Self.text(&random) }
            let finished = FinishedRecord(entry: entry, finishedAt: Self.number(&random))
            let finishedLine = try finished.jsonLine()
            #expect(finishedLine == (try Self.encoded(finished)), "round \(round), seed \(random.seed)")
            #expect(try JSONDecoder().decode(FinishedRecord.self, from: Data(finishedLine.dropLast())) == finished)
        }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func refusesANumberJSONCannotHold(_ value: Double) {
        let status = SpoolStatusRecord(at: value, results: [], nextAttemptAt: nil)
        #expect(throws: SpoolError.self) { try status.jsonLine() }
    }
}
