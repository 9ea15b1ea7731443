import Foundation

/// The random numbers of a randomized test: SplitMix64 from a seed, so that a failure can be
/// replayed. ``forTest(_:)`` takes the seed from `MAILFERRY_TEST_SEED` or makes a fresh one,
/// and prints it; tests also name it in their failure messages.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator for the test `name`, seeded from `MAILFERRY_TEST_SEED` when set (to replay
    /// a failure), else at random; the seed is printed either way.
    public static func forTest(_ name: String) -> SeededRandom {
        let seed = ProcessInfo.processInfo.environment["MAILFERRY_TEST_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("\(name): seed \(seed) (MAILFERRY_TEST_SEED=\(seed) replays it)")
        return SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `0..<bound`, drawn the same way on every platform (the standard library's
    /// `random(in:using:)` does not promise its algorithm, and a seed must replay a history).
    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
