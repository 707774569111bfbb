import CPCRE2

/// Resource limits that make a pathological pattern fail fast with a ``PCRE2Error``.
///
/// `matchLimit` applies to both JIT and interpreter (counted differently by each);
/// `depthLimit` applies to the interpreter only; the JIT is bounded by `jitStackMaxBytes`.
///
/// PCRE2 applies `matchLimit` per start position, so it stops exponential backtracking but
/// not a pattern whose cost is quadratic in the line length (e.g. `(?=a+\d)` takes seconds on
/// 100 KB of "a"); bound line length upstream if that matters. With the defaults, a repeated
/// group such as `(?:a|b)*` manages about 5,000 iterations in the interpreter (two depth levels
/// each) and 40,000 with JIT before failing with a limit error.
public struct MatchLimits: Sendable {
    /// Maximum number of internal match-function calls (PCRE2's default is 10,000,000).
    public var matchLimit: UInt32
    /// Maximum backtracking depth for the interpreter (ignored by JIT matching).
    public var depthLimit: UInt32
    /// Maximum size in bytes of the JIT stack each ``Matcher`` may grow to (at least 4 KiB is used).
    public var jitStackMaxBytes: Int

    /// Creates limits; the defaults stop catastrophic backtracking well within a second.
    public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 10_000, jitStackMaxBytes: Int = 1 << 20) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.jitStackMaxBytes = jitStackMaxBytes
    }
}

/// One per worker thread; reuses its match data and JIT stack. Not Sendable.
///
/// A matcher can be used with any number of ``CompiledPattern``s, one call at a time.
/// Calls that find no match do not allocate; the match data grows (once) when a pattern
/// with more capture groups than ever seen before is used with ``firstMatch(_:in:)``.
public final class Matcher {
    /// The limits every match made by this matcher runs under.
    public let limits: MatchLimits

    /// Match context holding the limits and the JIT stack.
    private let context: OpaquePointer
    /// JIT stack, or nil if it could not be created (JIT then uses PCRE2's 32 KiB default).
    private let jitStack: OpaquePointer?
    /// Reused match data, replaced by a larger one when a pattern needs more capture slots.
    private var matchData: OpaquePointer
    /// Number of (start, end) pairs `matchData` holds.
    private(set) var ovectorPairs: Int
    /// One byte standing in for the base address of an empty subject (PCRE2 10.42 rejects NULL).
    private let emptySubject: UnsafeMutablePointer<UInt8>

    /// Creates a matcher with its own match context, JIT stack and match data.
    public init(limits: MatchLimits = MatchLimits()) {
        self.limits = limits
        guard let context = pcre2_match_context_create_8(nil) else {
            fatalError("PCRE2: out of memory creating a match context")
        }
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        let maxStack = max(limits.jitStackMaxBytes, 4096)
        jitStack = pcre2_jit_stack_create_8(min(32 * 1024, maxStack), maxStack, nil)
        if let jitStack {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        }
        self.context = context
        ovectorPairs = 16
        guard let matchData = pcre2_match_data_create_8(UInt32(ovectorPairs), nil) else {
            fatalError("PCRE2: out of memory creating match data")
        }
        self.matchData = matchData
        emptySubject = .allocate(capacity: 1)
        emptySubject.initialize(to: 0)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        emptySubject.deallocate()
    }

    /// True when `pattern` matches somewhere in `subject`. Throws for match errors (limits hit etc.).
    public func matches(_ pattern: CompiledPattern, in subject: UnsafeRawBufferPointer) throws(PCRE2Error) -> Bool {
        // Captures are not read, so the match data need not be big enough for them:
        // PCRE2 returns 0 (not an error) when the ovector is too small.
        try run(pattern, subject) >= 0
    }

    /// The first match with its capture groups, or nil. `from` is the byte offset where the
    /// search starts; lookbehinds still see the bytes before it (so a scan can go on after a
    /// match without losing the context a boundary check needs).
    public func firstMatch(_ pattern: CompiledPattern, in subject: UnsafeRawBufferPointer, from start: Int = 0) throws(PCRE2Error) -> Match? {
        let pairsNeeded = pattern.captureCount + 1
        if pairsNeeded > ovectorPairs {
            try growMatchData(to: max(pairsNeeded, ovectorPairs * 2))
        }
        // pcre2_jit_match does not check its arguments: an offset past the end is no match.
        guard start >= 0, start <= subject.count else { return nil }
        let rc = try run(pattern, subject, from: start)
        guard rc >= 0 else { return nil }
        // rc is 1 + the highest group that was set; 0 would mean the ovector was full.
        let setPairs = rc == 0 ? ovectorPairs : Int(rc)
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = Int(bitPattern: UInt.max)  // PCRE2_UNSET
        var groups = [Range<Int>?](repeating: nil, count: pairsNeeded)
        for group in 0..<min(setPairs, pairsNeeded) {
            let start = ovector[2 * group]
            let end = ovector[2 * group + 1]
            guard start != unset, end != unset else { continue }
            // \K can in principle put the start after the end; never build an invalid Range.
            groups[group] = min(start, end)..<max(start, end)
        }
        let whole = groups[0] ?? 0..<0
        return Match(range: whole, groups: groups)
    }

    /// True when `pattern` matches somewhere in the bytes of `subject`.
    public func matches(_ pattern: CompiledPattern, in subject: [UInt8]) throws(PCRE2Error) -> Bool {
        try subject.withUnsafeBytes { bytes in
            Result { () throws(PCRE2Error) in try matches(pattern, in: bytes) }
        }.get()
    }

    /// True when `pattern` matches somewhere in the UTF-8 bytes of `subject`.
    public func matches(_ pattern: CompiledPattern, in subject: String) throws(PCRE2Error) -> Bool {
        var subject = subject
        return try subject.withUTF8 { utf8 in
            Result { () throws(PCRE2Error) in try matches(pattern, in: UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    /// The first match in the bytes of `subject`, or nil.
    public func firstMatch(_ pattern: CompiledPattern, in subject: [UInt8]) throws(PCRE2Error) -> Match? {
        try subject.withUnsafeBytes { bytes in
            Result { () throws(PCRE2Error) in try firstMatch(pattern, in: bytes) }
        }.get()
    }

    /// The first match in the UTF-8 bytes of `subject`, or nil; ranges are UTF-8 byte offsets.
    public func firstMatch(_ pattern: CompiledPattern, in subject: String) throws(PCRE2Error) -> Match? {
        var subject = subject
        return try subject.withUTF8 { utf8 in
            Result { () throws(PCRE2Error) in try firstMatch(pattern, in: UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    /// Runs one pcre2_match; returns its non-negative result, -1 for no match, or throws.
    private func run(_ pattern: CompiledPattern, _ subject: UnsafeRawBufferPointer, from start: Int = 0) throws(PCRE2Error) -> Int32 {
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptySubject)
        // pcre2_match uses the JIT code when there is some, with this context's JIT stack
        // and match limit; otherwise the interpreter, with the match and depth limits.
        // pcre2_jit_match skips pcre2_match's argument checks and dispatch (a tenth of the cost
        // of a typical failed match on a short line); it is only valid for JIT-compiled code.
        // On a long line the match limit grows with it, `stepsPerByte` steps a byte: a pattern
        // that reads the line a fixed number of times (a lookahead to its end) needs steps in
        // proportion to its length, and must not fail where it would succeed on a shorter
        // one; backtracking that grows faster than the line still runs into the limit.
        let scaled = subject.count > Self.longSubject
        if scaled {
            let steps = UInt64(subject.count) &* Self.stepsPerByte  // count ≤ Int.max: no overflow in UInt64 for any real line
            pcre2_set_match_limit_8(context, UInt32(clamping: max(UInt64(limits.matchLimit), steps)))
        }
        let rc = usesJIT(pattern)
            ? pcre2_jit_match_8(pattern.code, base, subject.count, start, 0, matchData, context)
            : pcre2_match_8(pattern.code, base, subject.count, start, 0, matchData, context)
        if scaled { pcre2_set_match_limit_8(context, limits.matchLimit) }
        if rc >= 0 { return rc }
        if rc == PCRE2_ERROR_NOMATCH { return -1 }
        throw PCRE2Error(code: rc)
    }

    /// Per pattern serial (bit `serial % 64` of word `serial / 64`): whether this matcher has
    /// seen the pattern's JIT state settled, and whether it has JIT code.
    private var settled: [UInt64] = []
    private var jitted: [UInt64] = []

    /// Whether `pattern` runs as JIT code, JIT-compiling it on its first match anywhere. The
    /// first time this thread meets the pattern it asks under the pattern's lock (which also
    /// makes JIT code compiled by another thread visible here); after that the answer is a bit
    /// of this matcher's, with no lock or shared write per match.
    @inline(__always)
    private func usesJIT(_ pattern: CompiledPattern) -> Bool {
        let word = pattern.serial >> 6, bit = UInt64(1) << UInt64(pattern.serial & 63)
        if word < settled.count && settled[word] & bit != 0 { return jitted[word] & bit != 0 }
        let jit = pattern.jit.compiled(pattern.code)
        if word >= settled.count {
            settled += [UInt64](repeating: 0, count: word + 1 - settled.count)
            jitted += [UInt64](repeating: 0, count: word + 1 - jitted.count)
        }
        settled[word] |= bit
        if jit { jitted[word] |= bit }
        return jit
    }

    /// Subjects longer than this get a match limit in proportion to their length.
    static let longSubject = 1 << 17
    /// The steps a byte a long subject is allowed (PCRE2 counts a few per byte of a lazy scan
    /// with a lookahead in it).
    static let stepsPerByte: UInt64 = 8

    /// Replaces the match data with one holding `pairs` ovector pairs.
    private func growMatchData(to pairs: Int) throws(PCRE2Error) {
        guard let bigger = pcre2_match_data_create_8(UInt32(min(pairs, 65_535)), nil) else {
            throw PCRE2Error(code: PCRE2_ERROR_NOMEMORY)
        }
        pcre2_match_data_free_8(matchData)
        matchData = bigger
        ovectorPairs = Int(pcre2_get_ovector_count_8(bigger))
    }
}

@available(*, unavailable, message: "Matcher is per thread; give each worker its own")
extension Matcher: Sendable {}
