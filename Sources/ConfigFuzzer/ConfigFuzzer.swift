// libFuzzer target over mailferry's config loaders: every kind of config file (migration,
// mirror, forward) read through the Migration library's one TOML mechanism (see
// FuzzerDriver for how it is built and replayed).
import FuzzerSupport

let targets = [
    FuzzTarget("config", check: ConfigChecks.loaders)
]

#if FUZZING
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_cdecl("ConfigFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzerDriver.runLibFuzzer(argc, argv, targets: targets)
}
#else
@main
struct ConfigFuzzer {
    static func main() {
        FuzzerDriver.replay(targets: targets)
    }
}
#endif
