import ArgumentParser
import Foundation
import IMAPCodec
import NIOCore

/// `mailferry-bench imap-parser`: how fast the response parser turns a FETCH stream into
/// events, next to two baselines measured in the same run on the same bytes:
/// - `scan for LF`: finding every line end in the stream, literals included (the least a
///   line-oriented reader that does not skip literals must do);
/// - `memcpy`: copying the stream once (memory bandwidth, the ceiling).
struct IMAPParserBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap-parser",
        abstract: "Parser throughput (MB/s, messages/s) on a large FETCH stream.",
        discussion: """
            By default the stream is synthetic, shaped like Courier's response to
            UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]). To use a captured
            stream (e.g. the testbed's tbbench INBOX):
              scripts/lib/imap-capture.py --host 127.0.0.1 --port 10143 --ca .testbed/tls/ca.crt \\
                --user tbbench --password-file .testbed/secrets/tbbench.password --server-only \\
                --out .build/bench/courier-fetch.bin 'SELECT INBOX' \\
                'UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])'
              scripts/bench imap-parser --input .build/bench/courier-fetch.bin
            """
    )

    @Option(help: "A captured server stream (greeting first) to parse instead of the synthetic one.")
    var input: String?

    @Option(help: "Messages in the synthetic stream.")
    var messages: Int = 2000

    @Option(help: "Bytes handed to the parser per read, like a socket read.")
    var readSize: Int = 65536

    @Option(help: "Repetitions; the best is reported.")
    var repeats: Int = 5

    func run() throws {
        var streams: [(String, ByteBuffer)] = []
        if let input {
            let data = try Data(contentsOf: URL(fileURLWithPath: input))
            streams.append(("captured \((input as NSString).lastPathComponent)", ByteBuffer(bytes: data)))
        } else {
            streams.append(("FETCH with bodies (\(messages) msgs)", SyntheticFetchStream.make(messages: messages, withBodies: true)))
            streams.append(("FETCH metadata only (\(messages * 50) msgs)", SyntheticFetchStream.make(messages: messages * 50, withBodies: false)))
        }
        var table = BenchTable(header: ["stream", "method", "MB", "MB/s", "messages/s", "ratio"])
        for (name, stream) in streams {
            let megabytes = Double(stream.readableBytes) / 1_000_000
            var parsedMessages = 0
            let parse = try best { parsedMessages = try parseAll(stream) }
            let scan = best { _ = scanLines(stream) }
            let copy = best { copyAll(stream) }
            for (method, seconds) in [("mailferry ResponseParser", parse), ("baseline: scan for LF", scan), ("baseline: memcpy", copy)] {
                table.rows.append([
                    name, method, BenchTable.format(megabytes), BenchTable.format(megabytes / seconds, decimals: 0),
                    method.hasPrefix("mailferry") ? BenchTable.format(Double(parsedMessages) / seconds, decimals: 0) : "-",
                    BenchTable.format(parse / seconds, decimals: 2) + "x",
                ])
            }
        }
        print(table.render())
        print("ratio: speed relative to mailferry's parser (>1: faster than the parser). Best of \(repeats) runs, \(readSize)-byte reads.")
    }

    private func best(_ body: () throws -> Void) rethrows -> Double {
        var result = Double.infinity
        for _ in 0..<max(1, repeats) { result = min(result, try measure(body)) }
        return result
    }

    /// Feeds the stream in `readSize` pieces; returns the number of FETCH responses.
    private func parseAll(_ stream: ByteBuffer) throws -> Int {
        var parser = ResponseParser(options: ResponseParserOptions(expectGreeting: true))
        var pending = ByteBuffer()
        var input = stream
        var finished = 0
        var bodyBytes = 0
        while input.readableBytes > 0 {
            var slice = input.readSlice(length: min(readSize, input.readableBytes))!
            pending.writeBuffer(&slice)
            while let event = try parser.parse(&pending) {
                switch event {
                case .fetch(.finish): finished += 1
                case .fetch(.streamingBytes(let bytes)): bodyBytes &+= bytes.readableBytes
                default: break
                }
            }
            pending.discardReadBytes()
        }
        precondition(bodyBytes >= 0)
        return finished
    }

    private func scanLines(_ stream: ByteBuffer) -> Int {
        stream.withUnsafeReadableBytes { raw in
            var count = 0
            var index = raw.startIndex
            while let found = raw[index...].firstIndex(of: UInt8(ascii: "\n")) {
                count += 1
                index = found + 1
            }
            return count
        }
    }

    private func copyAll(_ stream: ByteBuffer) {
        var copy = ByteBuffer()
        copy.reserveCapacity(stream.readableBytes)
        copy.writeImmutableBuffer(stream)
        precondition(copy.readableBytes == stream.readableBytes)
    }
}
