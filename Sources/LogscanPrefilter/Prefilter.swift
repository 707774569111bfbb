/// Finds which rules a line can possibly match, so PCRE2 runs only on candidate lines.
///
/// A sampled 4-gram filter in the Wu–Manber family. Every 4-byte window of every literal is
/// hashed into a table of 32 Ki flag bytes. A line is probed only every `stride` bytes, where
/// `stride` is the shortest literal's length minus 3: a literal of length L covers L − 3
/// consecutive window starts, so at least one probe lands inside any occurrence. A probe whose
/// flag is set is verified exactly against the literals that own that window. ASCII case is
/// folded (`| 0x20`) on both sides, which can only add candidates, never lose one.
public final class Prefilter: @unchecked Sendable {
    // SAFETY: immutable after init; read concurrently by scanners.
    /// The folded literals one after another in raw memory (literal `i` at `literalStart[i]`),
    /// for verifying a probe: no array bounds or reference counts in the loop.
    @usableFromInline let pool: UnsafeMutablePointer<UInt8>
    @usableFromInline let literalStart: UnsafeMutablePointer<Int>
    @usableFromInline let literalLength: UnsafeMutablePointer<Int>
    /// Rule indexes (into the rule set) per literal: `literalRuleList[literalRuleStart[i]...]`,
    /// `literalRuleCount[i]` of them.
    @usableFromInline let literalRuleStart: UnsafeMutablePointer<Int32>
    @usableFromInline let literalRuleCount: UnsafeMutablePointer<Int32>
    @usableFromInline let literalRuleList: UnsafeMutablePointer<Int32>
    /// Rules with no literal: candidates on every line.
    public let alwaysRules: [Int]
    /// Every rule filtered for, in rule order.
    public let allRules: [Int]
    public let stride: Int
    @usableFromInline let hasLiterals: Bool
    /// One flag byte per hashed 4-byte window (a raw pointer: this is the hot loop).
    @usableFromInline let table: UnsafeMutablePointer<UInt8>
    // Exact table: open addressing over folded windows. Raw memory, like the rest of what a
    // candidate line reads: Swift arrays held by a class cost a retain and a release per read.
    @usableFromInline let keys: UnsafeMutablePointer<UInt32>
    @usableFromInline let used: UnsafeMutablePointer<Bool>
    @usableFromInline let entryStart: UnsafeMutablePointer<Int32>
    @usableFromInline let entryCount: UnsafeMutablePointer<Int32>
    @usableFromInline let entryLiteral: UnsafeMutablePointer<Int32>
    @usableFromInline let entryOffset: UnsafeMutablePointer<Int32>
    @usableFromInline let mask: Int
    @usableFromInline let slotShift: UInt32
    /// Element counts of the raw lists: literals, their owners (rule list), bytes of the pool,
    /// and exact-table entries. Only `init(copying:)` needs them.
    private let sizes: (literals: Int, owners: Int, pool: Int, entries: Int)

    /// Whether any rule can match at all (empty when the format has no rules).
    public var isEmpty: Bool { !hasLiterals && alwaysRules.isEmpty }

    /// Hash bits of the window table: 2^15 flag bytes, 32 KiB, so it stays in the L1 cache.
    /// A byte per flag rather than a bit makes a probe three instructions shorter (no bit
    /// index to extract and test); with a few hundred windows set, about 1 % of probes hit by
    /// chance, and a chance hit costs one look-up in the exact table.
    @usableFromInline static let tableBits = 15

    /// - Parameters:
    ///   - rules: (rule index, literals) for each rule to filter for.
    ///   - sample: the first bytes of the file to be scanned, if known. Windows are then chosen
    ///     by how rarely they occur in that sample (each log has its own vocabulary); without
    ///     one, by a fixed guess about log text.
    public init(rules: [(index: Int, literals: [String])], sample: UnsafeRawBufferPointer? = nil) {
        var lits: [[UInt8]] = []
        var owners: [[Int]] = []
        var always: [Int] = []
        var position: [[UInt8]: Int] = [:]
        for (index, literals) in rules {
            let usable = literals.map { Array($0.utf8).map { $0 | 0x20 } }.filter { $0.count >= 4 }
            if usable.isEmpty || usable.count != literals.count { always.append(index); continue }
            for lit in usable {
                if let at = position[lit] { owners[at].append(index) }
                else { position[lit] = lits.count; lits.append(lit); owners.append([index]) }
            }
        }
        table = .allocate(capacity: 1 << Self.tableBits)
        table.initialize(repeating: 0, count: 1 << Self.tableBits)
        // Each list's start is the sum of the lengths before it.
        func starts(_ lengths: [Int]) -> [Int] {
            var sum = 0
            return lengths.map { n in defer { sum += n }; return sum }
        }
        literalRuleCount = Self.raw(owners.map { Int32($0.count) })
        literalRuleStart = Self.raw(starts(owners.map(\.count)).map { Int32($0) })
        literalRuleList = Self.raw(owners.joined().map { Int32($0) })
        pool = Self.raw(Array(lits.joined()))
        literalLength = Self.raw(lits.map(\.count))
        literalStart = Self.raw(starts(lits.map(\.count)))
        alwaysRules = always
        allRules = Array(Set(rules.map(\.index))).sorted()
        stride = max(1, (lits.map(\.count).min() ?? 4) - 3)
        hasLiterals = !lits.isEmpty

        // Probes are `stride` apart, so a literal at any alignment is probed at exactly one
        // offset of each residue class mod `stride`. One window per class is enough: take the
        // rarest one, so common 4-grams ("ing ", " the", "vice") do not light up every line.
        let histogram = sample.map(Self.histogram)
        func commonness(_ lit: [UInt8], _ offset: Int) -> Int {
            let guess = Self.commonness(lit, offset)
            guard let histogram else { return guess }
            let w = UInt32(lit[offset]) | UInt32(lit[offset + 1]) << 8 | UInt32(lit[offset + 2]) << 16 | UInt32(lit[offset + 3]) << 24
            return Int(histogram[Self.bucket(w)]) * 64 + guess
        }
        var windows: [UInt32: [(Int32, Int32)]] = [:]
        for (li, lit) in lits.enumerated() {
            var best = [Int](repeating: -1, count: stride)
            for offset in 0...(lit.count - 4) {
                let r = offset % stride
                if best[r] < 0 || commonness(lit, offset) < commonness(lit, best[r]) { best[r] = offset }
            }
            for offset in best where offset >= 0 {
                let w = UInt32(lit[offset]) | UInt32(lit[offset + 1]) << 8 | UInt32(lit[offset + 2]) << 16 | UInt32(lit[offset + 3]) << 24
                windows[w, default: []].append((Int32(li), Int32(offset)))
            }
        }
        var size = 16
        var sizeBits = 4
        while size < windows.count * 4 { size <<= 1; sizeBits += 1 }
        let mask = size - 1
        let slotShift = UInt32(32 - sizeBits)
        var keys = [UInt32](repeating: 0, count: size)
        var used = [Bool](repeating: false, count: size)
        var entryStart = [Int32](repeating: 0, count: size)
        var entryCount = [Int32](repeating: 0, count: size)
        var entries: [(literal: Int32, offset: Int32)] = []
        for (w, owners) in windows.sorted(by: { $0.key < $1.key }) {
            table[Int(Self.hash(w))] = 1
            var slot = Self.slot(w, shift: slotShift)
            while used[slot] { slot = (slot + 1) & mask }
            used[slot] = true
            keys[slot] = w
            entryStart[slot] = Int32(entries.count)
            entryCount[slot] = Int32(owners.count)
            entries += owners.map { (literal: $0.0, offset: $0.1) }
        }
        self.mask = mask
        self.slotShift = slotShift
        sizes = (lits.count, owners.reduce(0) { $0 + $1.count }, lits.reduce(0) { $0 + $1.count }, entries.count)
        self.keys = Self.raw(keys)
        self.used = Self.raw(used)
        self.entryStart = Self.raw(entryStart)
        self.entryCount = Self.raw(entryCount)
        self.entryLiteral = Self.raw(entries.map(\.literal))
        self.entryOffset = Self.raw(entries.map(\.offset))
    }

    /// An identical prefilter that shares no memory with `other`: for another thread, at the cost
    /// of copying a few tens of KiB instead of building one from the sample again.
    public init(copying other: Prefilter) {
        func copy<T>(_ p: UnsafeMutablePointer<T>, _ count: Int) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: max(1, count))
            q.initialize(from: p, count: count)
            return q
        }
        let n = other.sizes, slots = other.mask + 1
        pool = copy(other.pool, n.pool)
        literalStart = copy(other.literalStart, n.literals)
        literalLength = copy(other.literalLength, n.literals)
        literalRuleStart = copy(other.literalRuleStart, n.literals)
        literalRuleCount = copy(other.literalRuleCount, n.literals)
        literalRuleList = copy(other.literalRuleList, n.owners)
        alwaysRules = other.alwaysRules.map { $0 }  // new storage, not a shared buffer
        allRules = other.allRules.map { $0 }
        stride = other.stride
        hasLiterals = other.hasLiterals
        table = copy(other.table, 1 << Self.tableBits)
        keys = copy(other.keys, slots)
        used = copy(other.used, slots)
        entryStart = copy(other.entryStart, slots)
        entryCount = copy(other.entryCount, slots)
        entryLiteral = copy(other.entryLiteral, n.entries)
        entryOffset = copy(other.entryOffset, n.entries)
        mask = other.mask
        slotShift = other.slotShift
        sizes = n
    }

    /// A copy of `array` in raw memory that the prefilter owns (at least one element's room).
    private static func raw<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
        _ = UnsafeMutableBufferPointer(start: p, count: array.count).initialize(from: array)
        return p
    }

    deinit {
        table.deallocate()
        pool.deallocate()
        literalStart.deallocate()
        literalLength.deallocate()
        literalRuleStart.deallocate()
        literalRuleCount.deallocate()
        literalRuleList.deallocate()
        for p in [entryStart, entryCount, entryLiteral, entryOffset] { p.deallocate() }
        keys.deallocate()
        used.deallocate()
    }

    /// The home slot of a window in the exact table: the high bits of a multiplicative hash
    /// (its low bits depend only on the window's first bytes).
    @inlinable @inline(__always)
    package static func slot(_ w: UInt32, shift: UInt32) -> Int { Int((w &* 0x9E37_79B1) >> shift) }

    /// How often a 4-byte window is likely to occur in log text (lower is rarer): spaces and
    /// frequent lower-case letters are everywhere; capitals, digits and rarer letters less so.
    static func commonness(_ lit: [UInt8], _ offset: Int) -> Int {
        var score = 0
        for b in lit[offset..<(offset + 4)] {
            switch b {
            case 0x20: score += 10
            case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
                 UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "h"), UInt8(ascii: "l"),
                 UInt8(ascii: "d"), UInt8(ascii: "c"), UInt8(ascii: "u"): score += 8
            case UInt8(ascii: "0")...UInt8(ascii: "9"): score += 6
            case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: "-"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: "_"): score += 6
            default: score += 3
            }
        }
        return score
    }

    @inlinable @inline(__always)
    static func hash(_ w: UInt32) -> UInt32 { (w &* 0x9E37_79B1) >> UInt32(32 - tableBits) }

    /// A 16-bit bucket for counting windows.
    @inline(__always)
    static func bucket(_ w: UInt32) -> Int { Int((w &* 0x9E37_79B1) >> 16) }

    /// How often each 16-bit bucket of folded 4-byte windows occurs in `sample` (saturating).
    static func histogram(_ sample: UnsafeRawBufferPointer) -> [UInt16] {
        // 64 KiB (some hundreds of lines) is plenty to know a log's vocabulary; every file of
        // some size pays for this, so it is kept short and out of bounds checks.
        let n = min(sample.count, histogramBytes)
        return [UInt16](unsafeUninitializedCapacity: 1 << 16) { counts, initialized in
            counts.initialize(repeating: 0)
            initialized = 1 << 16
            guard n >= 4, let base = sample.baseAddress, let c = counts.baseAddress else { return }
            for p in 0...(n - 4) {
                let w = base.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian | 0x2020_2020
                let bucket = Self.bucket(w)
                // Saturating (a sample that is one 4-gram over and over would wrap otherwise).
                c[bucket] &+= c[bucket] == UInt16.max ? 0 : 1
            }
        }
    }

    /// How much of a file's start `histogram` looks at.
    static let histogramBytes = 1 << 16

    /// The cheap test run on every line: the first probe position where a literal was found,
    /// or -1 when the line cannot match any rule (0 when some rule has no literal). Lines that
    /// pass go to `candidates(in:from:)` with that position.
    @inlinable @inline(__always)
    public func firstCandidate(in line: UnsafeRawBufferPointer) -> Int {
        if !alwaysRules.isEmpty { return 0 }
        let n = line.count
        guard n >= 4, hasLiterals, let base = line.baseAddress else { return -1 }
        var p = 0
        while true {
            p = Self.probe(base, n, from: p, stride: stride, table: table)
            if p < 0 { return -1 }
            let w = base.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian | 0x2020_2020
            var found = false
            verify(w, at: p, in: line) { _ in found = true }
            if found { return p }
            p &+= stride
        }
    }

    /// The first probe position at or after `from` whose window's flag is set, or -1. Kept free
    /// of any state but its arguments so the loop stays in registers. Not inlined: inside the
    /// scanner's line loop the compiler spilled its operands and reloaded them every probe.
    @usableFromInline @inline(never)
    static func probe(_ base: UnsafeRawPointer, _ n: Int, from: Int, stride: Int, table: UnsafeMutablePointer<UInt8>) -> Int {
        var p = from
        let last = n &- 4
        @inline(__always) func hit(_ q: Int) -> Bool {
            table[Int(truncatingIfNeeded: hash(base.loadUnaligned(fromByteOffset: q, as: UInt32.self).littleEndian | 0x2020_2020))] != 0
        }
        // Four probes a turn: their loads and hashes overlap, and the loop's own work is shared.
        let step = stride &* 4
        while p &+ stride &* 3 <= last {
            if hit(p) { return p }
            if hit(p &+ stride) { return p &+ stride }
            if hit(p &+ stride &* 2) { return p &+ stride &* 2 }
            if hit(p &+ stride &* 3) { return p &+ stride &* 3 }
            p &+= step
        }
        while p <= last {
            if hit(p) { return p }
            p &+= stride
        }
        return -1
    }

    /// Calls `found` with the index of each rule whose literal occurs in `line` (a rule may be
    /// reported more than once), and with every rule that has no literal. `from` is where to
    /// start probing, `stride` apart from there on: a position such that no earlier probe of
    /// that alignment verified a literal (what `firstCandidate(in:)` returned, or 0).
    @inlinable @inline(__always)
    public func candidates(in line: UnsafeRawBufferPointer, from: Int = 0, _ found: (Int) -> Void) {
        for r in alwaysRules { found(r) }
        let n = line.count
        guard n >= 4, hasLiterals, let base = line.baseAddress else { return }
        assert(from >= 0, "candidates(from:) starts inside the line")
        var p = from
        let last = n - 4
        while p <= last {
            let w = base.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian | 0x2020_2020
            let h = Self.hash(w)
            if table[Int(h)] != 0 {
                verify(w, at: p, in: line, found)
            }
            p += stride
        }
    }

    /// Whether `length` bytes at `text`, ASCII-folded (`| 0x20`), equal the folded literal
    /// at `literal`: eight bytes at a time, then the rest.
    @inlinable @inline(__always)
    static func foldedEqual(_ text: UnsafeRawPointer, _ literal: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        var k = 0
        while k + 8 <= length {
            let a = text.loadUnaligned(fromByteOffset: k, as: UInt64.self) | 0x2020_2020_2020_2020
            if a != UnsafeRawPointer(literal).loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
            k += 8
        }
        while k < length {
            if text.load(fromByteOffset: k, as: UInt8.self) | 0x20 != literal[k] { return false }
            k += 1
        }
        return true
    }

    @inlinable
    func verify(_ w: UInt32, at p: Int, in line: UnsafeRawBufferPointer, _ found: (Int) -> Void) {
        var slot = Self.slot(w, shift: slotShift)
        while used[slot] {
            if keys[slot] == w {
                let start = Int(entryStart[slot])
                guard let base = line.baseAddress else { return }
                for e in start..<(start + Int(entryCount[slot])) {
                    let li = Int(entryLiteral[e])
                    let length = literalLength[li]
                    let begin = p - Int(entryOffset[e])
                    guard begin >= 0, begin + length <= line.count else { continue }
                    if Self.foldedEqual(base + begin, pool + literalStart[li], length) {
                        let first = Int(literalRuleStart[li])
                        for k in first..<(first + Int(literalRuleCount[li])) { found(Int(literalRuleList[k])) }
                    }
                }
                return
            }
            slot = (slot + 1) & mask
        }
    }
}
