import Testing
@testable import LogscanPCRE2

/// Compiles `source` with JIT or with the interpreter only.
func compile(_ source: String, jit: Bool, options: PatternOptions = []) throws -> CompiledPattern {
    let pattern = try CompiledPattern(source, options: options, jit: jit)
    #expect(pattern.isJITCompiled == jit)
    return pattern
}

/// Both engines: every matching test runs once JIT-compiled and once interpreted.
let engines = [true, false]

/// Matching behaviour, run against both the JIT and the interpreter.
@Suite struct MatchTests {
    @Test(arguments: engines)
    func literalMatchByteRanges(jit: Bool) throws {
        let matcher = Matcher()
        let pattern = try compile("panic", jit: jit)
        let line = "Jan  1 00:00:00 kernel: panic(cpu 0)"
        #expect(try matcher.matches(pattern, in: line))
        #expect(try matcher.firstMatch(pattern, in: line) == Match(range: 24..<29, groups: [24..<29]))
        #expect(try !matcher.matches(pattern, in: "all good"))
        #expect(try matcher.firstMatch(pattern, in: "all good") == nil)
    }

    @Test(arguments: engines)
    func namedCapturesWithByteRanges(jit: Bool) throws {
        let matcher = Matcher()
        let pattern = try compile(#"(?<proc>\w+)\[(?<pid>\d+)\](?: \((?<sub>\w+)\))?:"#, jit: jit)
        // "é" is two UTF-8 bytes, so everything after it is shifted by one byte vs. characters.
        let line = "é kernel[42]: boom"
        let match = try #require(try matcher.firstMatch(pattern, in: line))
        #expect(match.range == 3..<14)
        #expect(match.groups == [3..<14, 3..<9, 10..<12, nil])
        #expect(match.range(named: "proc", in: pattern) == 3..<9)
        #expect(match.range(named: "pid", in: pattern) == 10..<12)
        #expect(match.range(named: "sub", in: pattern) == nil)  // did not participate
        #expect(match.range(named: "nope", in: pattern) == nil)  // no such group
        let bytes = Array(line.utf8)
        #expect(String(decoding: bytes[match.range(named: "pid", in: pattern)!], as: UTF8.self) == "42")

        let withSub = try #require(try matcher.firstMatch(pattern, in: "launchd[1] (xpc): x"))
        #expect(withSub.range(named: "sub", in: pattern) == 12..<15)
    }

    @Test(arguments: engines)
    func caseless(jit: Bool) throws {
        let matcher = Matcher()
        let sensitive = try compile("kernel panic", jit: jit)
        let insensitive = try compile("kernel panic", jit: jit, options: .caseless)
        #expect(try !matcher.matches(sensitive, in: "KERNEL Panic"))
        #expect(try matcher.firstMatch(insensitive, in: "a KERNEL Panic")?.range == 2..<14)
        // Caseless applies to non-ASCII letters too (patterns are UTF).
        let accented = try compile("échec", jit: jit, options: .caseless)
        #expect(try matcher.firstMatch(accented, in: "– ÉCHEC")?.range == 4..<10)
        #expect(try !matcher.matches(try compile("échec", jit: jit), in: "ÉCHEC"))
    }

    @Test(arguments: engines)
    func invalidUTF8AndNULBytesInSubject(jit: Bool) throws {
        let matcher = Matcher()
        // 0xFF/0xFE are never valid; 0xC3 starts a 2-byte sequence cut short by "o";
        // 0xED 0xA0 0x80 is an encoded surrogate; NUL is an ordinary byte.
        let subject: [UInt8] = [0xFF, 0xFE, 0x00] + Array("err=".utf8) + [0xC3] + Array("ok".utf8)
            + [0xED, 0xA0, 0x80, 0x00] + Array("done".utf8)
        let err = try compile(#"err=(\P{Cc}*)"#, jit: jit)
        let match = try #require(try matcher.firstMatch(err, in: subject))
        #expect(match.range == 3..<7)  // the group stops at the invalid 0xC3 byte
        #expect(match.groups[1] == 7..<7)
        #expect(try matcher.firstMatch(try compile("ok", jit: jit), in: subject)?.range == 8..<10)
        #expect(try matcher.firstMatch(try compile("done$", jit: jit), in: subject)?.range == 14..<18)
        #expect(try matcher.firstMatch(try compile(#"\x00done"#, jit: jit), in: subject)?.range == 13..<18)
        // Invalid bytes never match a character, not even ".".
        #expect(try !matcher.matches(try compile("=.ok", jit: jit), in: subject))
        #expect(try !matcher.matches(try compile(#"ok.\x00"#, jit: jit), in: subject))
        // A subject that is nothing but invalid bytes simply does not match.
        #expect(try !matcher.matches(try compile(".", jit: jit), in: [0xFF, 0x80, 0xC0, 0xAF]))
    }

    @Test(arguments: engines)
    func utf8CharacterClassMatchesCurlyQuotes(jit: Bool) throws {
        let matcher = Matcher()
        let quotes = try compile(#"["“”]"#, jit: jit)
        // "said " is 5 bytes; "“" is E2 80 9C (3 bytes); "”" starts at 5 + 3 + 2 = 10.
        #expect(try matcher.firstMatch(quotes, in: "said “hi”")?.range == 5..<8)
        #expect(try matcher.firstMatch(quotes, in: "said hi” x")?.range == 7..<10)
        #expect(try matcher.firstMatch(quotes, in: #"said "hi""#)?.range == 5..<6)
        #expect(try !matcher.matches(quotes, in: "said ‘hi’"))
        let quoted = try compile(#"["“]([^"”]*)["”]"#, jit: jit)
        #expect(try matcher.firstMatch(quoted, in: "said “hi”")?.groups == [5..<13, 8..<10])
    }

    @Test(arguments: engines)
    func emptySubjectWithNilBaseAddress(jit: Bool) throws {
        let matcher = Matcher()
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(try matcher.matches(try compile("^$", jit: jit), in: empty))
        #expect(try matcher.firstMatch(try compile("^(x)?$", jit: jit), in: empty) == Match(range: 0..<0, groups: [0..<0, nil]))
        #expect(try !matcher.matches(try compile("a", jit: jit), in: empty))
        #expect(try matcher.firstMatch(try compile("a", jit: jit), in: [UInt8]()) == nil)
        #expect(try !matcher.matches(try compile("a", jit: jit), in: ""))
    }

    @Test(arguments: engines)
    func rawBufferOverload(jit: Bool) throws {
        let matcher = Matcher()
        let pattern = try compile(#"(\d+)\s*$"#, jit: jit)
        let bytes: [UInt8] = Array("code 500 ".utf8)
        try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws in
            #expect(try matcher.matches(pattern, in: buffer))
            #expect(try matcher.firstMatch(pattern, in: buffer)?.groups == [5..<9, 5..<8])
            // A slice of a larger buffer: offsets are relative to the slice.
            let slice = UnsafeRawBufferPointer(rebasing: buffer[2..<7])
            #expect(try matcher.firstMatch(pattern, in: slice)?.groups == [3..<5, 3..<5])
        }
    }

    @Test func matcherReuseAcrossPatternsWithDifferentCaptureCounts() throws {
        let matcher = Matcher()
        let initialPairs = matcher.ovectorPairs
        let none = try CompiledPattern("fault")
        let one = try CompiledPattern(#"code=(\d+)"#)
        let groupCount = initialPairs + 24
        let many = try CompiledPattern(String(repeating: "(.)", count: groupCount))
        #expect(many.captureCount == groupCount)
        let manySubject = String(repeating: "x", count: groupCount)

        // matches() never needs capture slots, so it does not grow the match data.
        #expect(try matcher.matches(many, in: manySubject))
        #expect(matcher.ovectorPairs == initialPairs)

        for _ in 0..<3 {
            #expect(try matcher.firstMatch(none, in: "page fault") == Match(range: 5..<10, groups: [5..<10]))
            #expect(try matcher.firstMatch(one, in: "x code=7") == Match(range: 2..<8, groups: [2..<8, 7..<8]))
            let match = try #require(try matcher.firstMatch(many, in: "ab" + manySubject))
            #expect(match.groups.count == groupCount + 1)
            #expect(match.range == 0..<groupCount)
            #expect(match.groups[groupCount] == (groupCount - 1)..<groupCount)
            #expect(try !matcher.matches(one, in: "code=x"))
            #expect(try matcher.firstMatch(none, in: "ok") == nil)
        }
        // Grown once to fit the biggest pattern, then reused.
        #expect(matcher.ovectorPairs >= groupCount + 1)
    }

    @Test func onePatternSharedAcrossThreadsEachWithItsOwnMatcher() async throws {
        let pattern = try CompiledPattern(#"pid=(?<pid>\d+) (?<status>ok|fail)"#)
        let workers = 8
        let linesPerWorker = 2_000
        let results = await withTaskGroup(of: (Int, [Int], Int).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let matcher = Matcher()  // per worker, never shared
                    var failedPIDs: [Int] = []
                    var nonMatching = 0
                    for i in 0..<linesPerWorker {
                        let pid = worker * 100_000 + i
                        let line = i % 3 == 0 ? "w\(worker) pid=\(pid) fail" : i % 3 == 1 ? "w\(worker) pid=\(pid) ok" : "w\(worker) idle \(pid)"
                        guard let match = try? matcher.firstMatch(pattern, in: line) else {
                            nonMatching += 1
                            continue
                        }
                        let bytes = Array(line.utf8)
                        let status = String(decoding: bytes[match.range(named: "status", in: pattern)!], as: UTF8.self)
                        if status == "fail" {
                            failedPIDs.append(Int(String(decoding: bytes[match.range(named: "pid", in: pattern)!], as: UTF8.self))!)
                        }
                    }
                    return (worker, failedPIDs, nonMatching)
                }
            }
            var all: [(Int, [Int], Int)] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == workers)
        for (worker, failedPIDs, nonMatching) in results {
            let expected = stride(from: 0, to: linesPerWorker, by: 3).map { worker * 100_000 + $0 }
            #expect(failedPIDs == expected)
            #expect(nonMatching == (0..<linesPerWorker).filter { $0 % 3 == 2 }.count)
        }
    }
}
