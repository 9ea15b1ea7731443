// libFuzzer target over mailferry's config loaders: the migration TOML (`sync`, `verify`)
// and the mirror TOML (`mirror`), both in the Migration library (see FuzzerDriver for how
// it is built and replayed). MigrationConfig.parse's errors are typed by its signature;
// the mirror loader's are checked here to be ConfigErrors.
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
