

/// A rule's `and_literals`: whether a line contains one of a few short words, ASCII case
/// folded the way `Prefilter` folds (`| 0x20`, which can only find more, never fewer).
///
/// Checked on a rule's candidate lines before PCRE2 runs, with the Shift-And (bitap)
/// algorithm: the words side by side in one 64-bit state, one table load, shift, or and and
/// per byte of the line, with no branch but the one that ends the search.
public final class AnyLiteral: @unchecked Sendable {
    // SAFETY: immutable after init.
    /// Words shorter than this are not accepted by the rule loader.
    public static let minimumLength = 3

    public let words: [String]
    /// For each byte, the state bits of the word positions it can stand at.
    private let table: UnsafeMutablePointer<UInt64>
    /// The bit of each word's first byte, and of each word's last byte.
    private let starts: UInt64
    private let ends: UInt64
    /// The longest word's length in bytes.
    private let longest: Int

    /// Nil when there is nothing to check: no words, or more bytes in all than the state holds.
    public init?(_ words: [String]) {
        let folded = words.map { Array($0.utf8).map { $0 | 0x20 } }
        guard !folded.isEmpty, folded.allSatisfy({ !$0.isEmpty }),
              folded.reduce(0, { $0 + $1.count }) <= 64 else { return nil }
        self.words = words
        table = .allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        var starts: UInt64 = 0, ends: UInt64 = 0
        var bit = 0
        for word in folded {
            starts |= 1 << UInt64(bit)
            for c in word {
                for x in 0..<256 where UInt8(x) | 0x20 == c { table[x] |= 1 << UInt64(bit) }
                bit += 1
            }
            ends |= 1 << UInt64(bit - 1)
        }
        self.starts = starts
        self.ends = ends
        longest = folded.map(\.count).max()!
    }

    deinit { table.deallocate() }

    /// Whether one of the words occurs in `line`.
    public func occurs(in line: UnsafeRawBufferPointer) -> Bool {
        guard let base = line.baseAddress else { return false }
        let n = line.count
        // Each step waits for the one before (shift, or, and), so one pass over the line is
        // bound by that chain, not by the loads. Two passes with their own states run side by
        // side instead: the first half, extended by a word's length less one so that a word
        // starting in it is seen whole, and the second half. Short lines take one pass.
        let half = n / 2
        guard half >= Self.twoPassLength else { return occurs(base, from: 0, to: n) }
        let firstEnd = Swift.min(n, half + longest - 1)
        let table = self.table, starts = self.starts, ends = self.ends
        var a: UInt64 = 0, b: UInt64 = 0
        @inline(__always) func step(_ p: Int) {
            a = ((a &<< 1) | starts) & table[Int(base.load(fromByteOffset: p, as: UInt8.self))]
            b = ((b &<< 1) | starts) & table[Int(base.load(fromByteOffset: half &+ p, as: UInt8.self))]
        }
        // Four bytes of each half a turn: a word's end bit is gone one step after it is set, so
        // the states are or-ed together and tested once per turn.
        let both = Swift.min(firstEnd, n - half)
        var p = 0
        while p &+ 4 <= both {
            step(p); var seen = a | b
            step(p &+ 1); seen |= a | b
            step(p &+ 2); seen |= a | b
            step(p &+ 3); seen |= a | b
            if seen & ends != 0 { return true }
            p &+= 4
        }
        return occurs(base, from: p, to: firstEnd, state: a) || occurs(base, from: half &+ p, to: n, state: b)
    }

    /// Lines shorter than twice this take one pass (see `occurs(in:)`).
    static let twoPassLength = 24

    /// One pass over `base[from..<to]`, starting in `state`.
    private func occurs(_ base: UnsafeRawPointer, from: Int, to n: Int, state start: UInt64 = 0) -> Bool {
        let table = self.table, starts = self.starts, ends = self.ends
        var state = start
        @inline(__always) func step(_ p: Int) {
            state = ((state &<< 1) | starts) & table[Int(base.load(fromByteOffset: p, as: UInt8.self))]
        }
        var p = from
        while p &+ 4 <= n {
            step(p); var seen = state
            step(p &+ 1); seen |= state
            step(p &+ 2); seen |= state
            step(p &+ 3); seen |= state
            if seen & ends != 0 { return true }
            p &+= 4
        }
        while p < n {
            step(p)
            if state & ends != 0 { return true }
            p &+= 1
        }
        return false
    }
}
