import Testing
@testable import LogscanPCRE2

/// Resource limits: pathological patterns fail with a limit error instead of hanging.
@Suite struct LimitTests {
    /// Every code PCRE2 uses for "gave up because of a resource limit".
    static let limitCodes: Set<Int32> = [
        PCRE2Error.matchLimitCode, PCRE2Error.depthLimitCode,
        PCRE2Error.heapLimitCode, PCRE2Error.jitStackLimitCode,
    ]

    /// 100 KB of "a", then "!" so every attempt fails late, then "b" so PCRE2's
    /// required-character pre-check cannot rule out `(?:a|a)*b` without backtracking.
    static let longLine = String(repeating: "a", count: 100_000) + "!b"

    @Test func limitCodesAreThePCRE2Values() {
        #expect(PCRE2Error.matchLimitCode == -47)
        #expect(PCRE2Error.depthLimitCode == -53)
        #expect(PCRE2Error.heapLimitCode == -63)
        #expect(PCRE2Error.jitStackLimitCode == -46)
        #expect(MatchLimits().matchLimit == 1_000_000)
        #expect(MatchLimits().depthLimit == 10_000)
        #expect(MatchLimits().jitStackMaxBytes == 1 << 20)
    }

    /// Catastrophic patterns, each with a short subject it does match.
    static let catastrophic = [(#"(a+)+$"#, "aa"), (#"(?:a|a)*b"#, "aab"), (#"(a|aa)+$"#, "aaa")]

    @Test(arguments: catastrophic, engines)
    func catastrophicPatternThrowsLimitError(_ example: (source: String, matching: String), jit: Bool) throws {
        let source = example.source
        let pattern = try compile(source, jit: jit)
        let matcher = Matcher()
        for _ in 0..<2 {  // the matcher stays usable after a limit error
            let error = #expect(throws: PCRE2Error.self) { try matcher.matches(pattern, in: Self.longLine) }
            #expect(error.map { Self.limitCodes.contains($0.code) } == true, "\(String(describing: error))")
            #expect(error?.isLimitExceeded == true)
            #expect(error?.offset == nil)
            #expect(error?.message.isEmpty == false)
            #expect(throws: PCRE2Error.self) { try matcher.firstMatch(pattern, in: Self.longLine) }
            #expect(try matcher.firstMatch(pattern, in: example.matching)?.range == 0..<example.matching.utf8.count)
        }
    }

    @Test(arguments: engines)
    func ordinaryPatternsOnLongLinesStayWithinDefaultLimits(jit: Bool) throws {
        let matcher = Matcher()
        let line = "error: " + String(repeating: "x", count: 100_000) + " code=42"
        let match = try #require(try matcher.firstMatch(try compile(#"error: (.*) code=(\d+)$"#, jit: jit), in: line))
        #expect(match.groups[2] == (line.utf8.count - 2)..<line.utf8.count)
        #expect(try !matcher.matches(try compile(#"\bpanic\b"#, jit: jit), in: line))
    }

    @Test(arguments: engines)
    func matchLimitIsApplied(jit: Bool) throws {
        let pattern = try compile(#"(a+)+$"#, jit: jit)
        let tiny = Matcher(limits: MatchLimits(matchLimit: 50, depthLimit: 1_000_000, jitStackMaxBytes: 1 << 24))
        let roomy = Matcher(limits: MatchLimits(matchLimit: 10_000_000, depthLimit: 1_000_000, jitStackMaxBytes: 1 << 24))
        let subject = String(repeating: "a", count: 12) + "!"
        #expect(throws: PCRE2Error(code: PCRE2Error.matchLimitCode)) { try tiny.matches(pattern, in: subject) }
        #expect(try !roomy.matches(pattern, in: subject))
    }

    @Test func depthLimitIsAppliedByTheInterpreter() throws {
        let pattern = try compile(#"(?:a|b)*!"#, jit: false)
        let shallow = Matcher(limits: MatchLimits(matchLimit: 100_000_000, depthLimit: 500))
        let subject = String(repeating: "a", count: 2_000) + "!"
        #expect(throws: PCRE2Error(code: PCRE2Error.depthLimitCode)) { try shallow.matches(pattern, in: subject) }
        #expect(try Matcher().firstMatch(pattern, in: subject)?.range == 0..<2_001)
    }

    @Test func jitStackLimitIsApplied() throws {
        let pattern = try compile(#"(?:a|b)*!"#, jit: true)
        let small = Matcher(limits: MatchLimits(matchLimit: 100_000_000, jitStackMaxBytes: 4096))
        let subject = String(repeating: "a", count: 20_000) + "!"
        #expect(throws: PCRE2Error(code: PCRE2Error.jitStackLimitCode)) { try small.matches(pattern, in: subject) }
        // The default 1 MiB stack is enough for 20,000 group iterations.
        #expect(try Matcher().firstMatch(pattern, in: subject)?.range == 0..<20_001)
    }

    @Test func errorDescription() {
        let error = PCRE2Error(code: PCRE2Error.matchLimitCode)
        #expect(error.message == "match limit exceeded")
        #expect(error.description == "PCRE2 error -47: match limit exceeded")
        #expect(PCRE2Error(code: 12345).message == "unknown PCRE2 error code 12345")
    }
}
