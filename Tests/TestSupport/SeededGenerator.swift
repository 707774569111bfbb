import Foundation

/// The random source of every randomized test: seeded, so that a failure can be replayed.
///
/// The seed is `LOGSCAN_TEST_SEED` when set, otherwise a fresh random one. It is printed when the
/// generator is made (a failing run's output shows it next to the test), and tests put
/// `generator.seed` into the messages of the expectations inside their random loops. To replay:
/// `LOGSCAN_TEST_SEED=<seed> swift test --filter <test>`.
///
/// SplitMix64 (Steele, Lea and Flood, 2014): small, fast and good enough to drive test inputs;
/// the standard library offers no seedable generator.
public struct SeededGenerator: RandomNumberGenerator {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64? = nil, name: String = #function) {
        let chosen = seed ?? ProcessInfo.processInfo.environment["LOGSCAN_TEST_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        self.seed = chosen
        self.state = chosen
        print("random seed \(chosen) for \(name) (LOGSCAN_TEST_SEED=\(chosen) replays it)")
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
