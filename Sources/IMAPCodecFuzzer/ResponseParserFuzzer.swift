// libFuzzer entry point over the IMAP response parser.
//
// Built by `scripts/fuzz imap` with `-sanitize=fuzzer -DFUZZING`, libFuzzer supplies `main`
// and calls `LLVMFuzzerTestOneInput` with generated inputs. In a plain build `@main` below
// makes it a small tool that replays files (a crash reproducer, a seed) through the same
// check: `swift run IMAPCodecFuzzer crash-1234`.
//
// The check is differential as well as a crash search: the input is parsed all at once,
// in 3-byte pieces and one byte at a time, and all three must give the same events and the
// same error. A difference is a framing bug (a CR/LF or literal split across reads) and
// aborts like a crash, so libFuzzer keeps the input.
import IMAPCodec
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small limits, so that the fuzzer reaches them and any unbounded growth shows up as an
/// RSS-limit failure.
let fuzzOptions = ResponseParserOptions(
    lineLengthLimit: 16 * 1024, literalSizeLimit: 4096, streamedLiteralSizeLimit: 1 << 20, nestingDepthLimit: 16, bodyChunkSize: 512
)

enum Outcome: Equatable {
    case events([ResponseEvent], IMAPParseError.Kind?)
}

func parse(_ bytes: UnsafeBufferPointer<UInt8>, chunk: Int, greeting: Bool) -> Outcome {
    var options = fuzzOptions
    options.expectGreeting = greeting
    var parser = ResponseParser(options: options)
    var buffer = ByteBuffer()
    var events: [ResponseEvent] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[offset..<end]))
        offset = end
        do {
            while let event = try parser.parse(&buffer) {
                if case .fetch(.streamingBytes(let more)) = event, case .fetch(.streamingBytes(var previous))? = events.last {
                    previous.writeImmutableBuffer(more)
                    events[events.count - 1] = .fetch(.streamingBytes(previous))
                } else {
                    events.append(event)
                }
            }
        } catch {
            return .events(events, error.kind)
        }
    }
    return .events(events, nil)
}

func check(_ bytes: UnsafeBufferPointer<UInt8>) {
    // The first byte picks greeting mode, so both paths are explored.
    let greeting = (bytes.first ?? 0) & 1 == 1
    let whole = parse(bytes, chunk: max(bytes.count, 1), greeting: greeting)
    let pieces = parse(bytes, chunk: 3, greeting: greeting)
    let single = parse(bytes, chunk: 1, greeting: greeting)
    guard whole == pieces, whole == single else {
        fatalError("split-dependent result: \(whole) / \(pieces) / \(single)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseParser(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    check(UnsafeBufferPointer(start: start, count: count))
    return 0
}

#if FUZZING
// SwiftPM links executables with `main` aliased to `<Module>_main`; hand control to libFuzzer
// from there (LLVMFuzzerRunDriver is libFuzzer's documented entry for a program's own main).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("IMAPCodecFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzResponseParser)
}
#else
/// Replays each file named on the command line.
@main
struct ResponseParserFuzzer {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            print("usage: IMAPCodecFuzzer FILE...   (replays inputs; use scripts/fuzz imap to fuzz)")
        }
        var allReplayed = true
        for path in paths where !replay(path) { allReplayed = false }
        exit(allReplayed ? 0 : 1)
    }

    static func replay(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else {
            print("cannot open \(path)")
            return false
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        bytes.withUnsafeBufferPointer { check($0) }
        print("ok \(path) (\(bytes.count) bytes)")
        return true
    }
}
#endif
