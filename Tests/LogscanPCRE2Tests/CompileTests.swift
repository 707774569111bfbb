import Testing
@testable import LogscanPCRE2

/// Compiling: error reporting, JIT, capture metadata.
@Suite struct CompileTests {
    /// A thread's copy matches as the original does, with its captures, and keeps the
    /// compiled code alive after the original object is gone.
    @Test func threadCopyOutlivesTheOriginal() throws {
        var original: CompiledPattern? = try CompiledPattern("(?i)device id (?<id>[0-9a-f]{4})")
        let copy = original!.threadCopy()
        let copyOfCopy = copy.threadCopy()
        original = nil
        let matcher = Matcher()
        for pattern in [copy, copyOfCopy] {
            let m = try #require(try matcher.firstMatch(pattern, in: "x Device ID beef y"))
            #expect(pattern.captureNames["id"].flatMap { m.groups[$0] }.map { Array("x Device ID beef y".utf8)[$0] } == Array("beef".utf8)[...])
            #expect(try !matcher.matches(pattern, in: "device id zzzz"))
        }
    }

    /// A pattern that must fail to compile, with PCRE2's code, offset and message.
    struct BadPattern: Sendable, CustomTestStringConvertible {
        let pattern: String
        let code: Int32
        let offset: Int
        let message: String
        var testDescription: String { pattern }
    }

    @Test(arguments: [
        BadPattern(pattern: "abc(", code: 114, offset: 4, message: "missing closing parenthesis"),
        BadPattern(pattern: "a{2,1}", code: 104, offset: 5, message: "numbers out of order in {} quantifier"),
        BadPattern(pattern: "[z-a]", code: 108, offset: 3, message: "range out of order in character class"),
        // Offsets are in UTF-8 bytes: "é" is two bytes, so the "(" ends at byte 5.
        BadPattern(pattern: "éé(", code: 114, offset: 5, message: "missing closing parenthesis"),
    ])
    func compileErrorCarriesMessageAndOffset(_ bad: BadPattern) {
        let error = #expect(throws: PCRE2Error.self) { try CompiledPattern(bad.pattern) }
        #expect(error?.code == bad.code)
        #expect(error?.offset == bad.offset)
        #expect(error?.message == bad.message)
        #expect(error?.isLimitExceeded == false)
        #expect(error?.description == "PCRE2 error \(bad.code) at pattern offset \(bad.offset): \(bad.message)")
    }

    @Test func jitIsUsedOnThisMachine() throws {
        let pattern = try CompiledPattern(#"kernel\[\d+\]: (panic|oops)"#)
        #expect(pattern.isJITCompiled)
    }

    @Test func jitWaitsForTheFirstMatchAndServesEveryThreadCopy() throws {
        let pattern = try CompiledPattern(#"kernel\[(\d+)\]"#)
        let copy = pattern.threadCopy()
        #expect(copy.serial == pattern.serial)
        // Nothing compiled yet: the pattern's first match does it, through either handle.
        #expect(pattern.jit.settled == false)
        let match = try Matcher().firstMatch(copy, in: "kernel[42]: panic")
        #expect(match?.groups[1] == 7..<9)
        #expect(pattern.jit.settled)
        #expect(pattern.isJITCompiled)
        // A second matcher (another thread's) finds the same code ready.
        #expect(try Matcher().matches(pattern, in: "kernel[1]"))
    }

    @Test func interpreterPathCanBeForced() throws {
        let pattern = try CompiledPattern("panic", options: [], jit: false)
        #expect(!pattern.isJITCompiled)
        #expect(try Matcher().matches(pattern, in: "kernel panic"))
    }

    @Test func captureMetadata() throws {
        let pattern = try CompiledPattern(#"(?<proc>\w+)\[(?<pid>\d+)\]: (?:x)(y)?"#)
        #expect(pattern.source == #"(?<proc>\w+)\[(?<pid>\d+)\]: (?:x)(y)?"#)
        #expect(pattern.captureCount == 3)
        #expect(pattern.captureNames == ["proc": 1, "pid": 2])

        let plain = try CompiledPattern("abc")
        #expect(plain.captureCount == 0)
        #expect(plain.captureNames.isEmpty)
    }

    @Test func duplicateNamesMapToLowestGroupAndFirstParticipant() throws {
        let pattern = try CompiledPattern(#"(?J)(?:(?<v>\d+)ms|(?<v>\d+)s)"#)
        #expect(pattern.captureNames == ["v": 1])
        let match = try #require(try Matcher().firstMatch(pattern, in: "took 12s"))
        #expect(match.groups == [5..<8, nil, 5..<7])
        #expect(match.range(named: "v", in: pattern) == 5..<7)
    }

    @Test func emptyPatternAndNULInPattern() throws {
        let matcher = Matcher()
        let empty = try CompiledPattern("")
        #expect(try matcher.firstMatch(empty, in: "abc") == Match(range: 0..<0, groups: [0..<0]))
        let nul = try CompiledPattern("a\u{0}b")
        #expect(try matcher.firstMatch(nul, in: [0x78, 0x61, 0x00, 0x62])?.range == 1..<4)
        #expect(try !matcher.matches(nul, in: "ab"))
    }
}
