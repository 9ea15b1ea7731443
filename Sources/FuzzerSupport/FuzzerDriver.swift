// The one driver every libFuzzer executable of mailferry uses.
//
// A fuzzer executable holds several named checks (`FuzzTarget`s) over the parsers of one
// library; its first argument picks one. Built by `scripts/fuzz` with
// `-sanitize=fuzzer -DFUZZING`, libFuzzer supplies the loop. Each executable's main.swift is
// one call, ``FuzzerDriver/main(targets:)``: in a fuzzing build it removes the target name
// from the arguments and hands the rest to libFuzzer; in a plain build it replays files
// through the same check: `swift run SMTPCodecFuzzer smtp-reply crash-1234`.
//
// main.swift's top-level code is the executable's entry point, which SwiftPM names
// `<module>_main` and links as `main`; libFuzzer's own `main` is then never pulled in.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One named check over arbitrary bytes. It must trap (crash) on a finding: a crash is what
/// libFuzzer keeps as a reproducer.
public struct FuzzTarget: Sendable {
    public let name: String
    public let check: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

    public init(_ name: String, check: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void) {
        self.name = name
        self.check = check
    }
}

public enum FuzzerDriver {
    /// The check libFuzzer's C callback runs; set once, before libFuzzer starts its loop, and
    /// only read afterwards (libFuzzer calls back on the thread that started it).
    nonisolated(unsafe) static var selected: FuzzTarget?

    /// The whole program of a fuzzer executable holding `targets`.
    public static func main(targets: [FuzzTarget]) -> Never {
        #if FUZZING
        exit(runLibFuzzer(CommandLine.argc, CommandLine.unsafeArgv, targets: targets))
        #else
        replay(targets: targets)
        #endif
    }

    static func usage(_ targets: [FuzzTarget]) -> String {
        let program = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "fuzzer"
        return "usage: \(program) TARGET FILE...   (TARGET: \(targets.map(\.name).joined(separator: ", ")))"
    }

    /// Replays each file named after the target name through that target's check; prints
    /// one line per file. Exit status 0 when every file was read (a finding traps instead).
    static func replay(targets: [FuzzTarget]) -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = targets.first(where: { $0.name == name }) else {
            print(usage(targets))
            exit(64)
        }
        var allRead = true
        for path in arguments.dropFirst() {
            guard let bytes = readFile(path) else {
                print("cannot read \(path)")
                allRead = false
                continue
            }
            bytes.withUnsafeBufferPointer { target.check($0) }
            print("ok \(name) \(path) (\(bytes.count) bytes)")
        }
        exit(allRead ? 0 : 1)
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    #if FUZZING
    /// Runs libFuzzer with the target named by the first argument; libFuzzer's own options and
    /// corpus directories follow it.
    static func runLibFuzzer(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, targets: [FuzzTarget]
    ) -> CInt {
        guard argc >= 2, let argv, let name = argv[1].map({ String(cString: $0) }),
              let target = targets.first(where: { $0.name == name })
        else {
            print(usage(targets))
            return 64
        }
        selected = target
        // argv without the target name; libFuzzer keeps pointers into it for the whole run,
        // so it is never freed.
        let remaining = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: Int(argc))
        remaining[0] = argv[0]
        for index in 2..<Int(argc) { remaining[index - 1] = argv[index] }
        remaining[Int(argc) - 1] = nil
        var count = argc - 1
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = remaining
        return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
    }
    #endif
}

#if FUZZING
// libFuzzer's runtime refers to this symbol (its own main would call it); the driver above
// passes the same function to LLVMFuzzerRunDriver.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzerDriver.selected?.check(UnsafeBufferPointer(start: start, count: count))
    return 0
}

// libFuzzer's documented entry for a program that has its own main.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
#endif
