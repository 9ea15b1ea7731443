// The entry point: libFuzzer in a fuzzing build, replay of files otherwise (FuzzerDriver).
import FuzzerSupport

FuzzerDriver.main(targets: targets)
