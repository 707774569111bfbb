import Testing
import TestSupport
import LogscanInput
import LogscanPCRE2
@testable import LogscanPrefilter
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

func scan(_ text: String, shape: LogShape, format: LogFormat? = nil, rules: CompiledRules) -> (hits: [RawHit], scanner: FileScanner) {
    var hits: [RawHit] = []
    let scanner = FileScanner(format: DetectedFormat(format: format ?? shape.format, shape: shape), rules: rules, matcher: Matcher()) { hits.append(RawHit($0)) }
    let reader = LineReader(bufferSize: 4096, maxLineLength: 4095)
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { raw in
        try! reader.push(raw) { chunk, kind in scanner.consume(chunk, kind) }
        try! reader.finish { chunk, kind in scanner.consume(chunk, kind) }
    }
    scanner.finish()
    return (hits, scanner)
}

let causeFile = ("causes/c.yml", "id: c\ntitle: C\nseverity: high\nsummary: s\nfix: [f]\n")

@Suite struct ScannerTests {
    let rules = CompiledRules(ruleSet([
        ("rules/sig.yml", """
        id: sig
        cause: c
        pattern: 'Device Signature Error'
        examples: {match: ['x Device Signature Error y']}
        """),
        ("rules/key.yml", """
        id: key
        cause: c
        pattern: 'wants to access key ["“”]Microsoft Workplace Join Key["“”]'
        examples: {match: ['JamfAAD wants to access key "Microsoft Workplace Join Key" in your keychain']}
        """),
        ("rules/dev.yml", """
        id: dev
        signals: [device-id]
        pattern: 'device id (?<device_id>[0-9A-Fa-f-]{36})(?: for (?<user>\\w+))?'
        examples: {match: ['for device id 4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6']}
        """),
        causeFile,
        // `device_id` feeds a condition, so the scan keeps it; `user` feeds nothing.
        ("causes/dup.yml", "id: dup\ntitle: D\nseverity: low\nsummary: s\nfix: [f]\nwhen:\n  - distinct: {signal: device-id, capture: device_id, min: 2}\n"),
    ]))

    @Test func continuationLinesTakeTheirRecordsTime() {
        let log = """
        Wed Feb 01 09:12:04 MacBook Air jamf[335]: Enroll return code: 70
        Wed Feb 01 09:12:05 MacBook Air jamf[397]:
        There was an error.

            Device Signature Error - A valid device signature is required to perform the action.
        Wed Feb 01 09:12:06 MacBook Air jamf[397]: next
        """
        let (hits, scanner) = scan(log, shape: .jamf, rules: rules)
        #expect(hits.count == 1)
        #expect(hits[0].line == 5)
        #expect(hits[0].recordTime?.local.second == 5)
        #expect(scanner.lineCount == 6)
        #expect(scanner.firstRecord?.line == 1)
        #expect(scanner.lastRecord?.line == 6)
    }

    /// The record a continuation line belongs to is found by looking back from the line: across
    /// chunk boundaries (4 KiB chunks here), past many continuation lines, and for records that
    /// start right after another candidate.
    @Test func continuationLinesFarFromTheirRecordStartAcrossChunks() {
        var lines = ["Wed Feb 01 09:12:04 MacBook Air jamf[335]: Enroll return code: 70",
                     "Wed Feb 01 09:12:05 MacBook Air jamf[397]: an error block follows"]
        lines += (0..<200).map { "    at com.example.Frame\($0)(Frame.java:\($0))" }
        lines.append("    Device Signature Error - A valid device signature is required.")  // line 203
        lines.append("Wed Feb 01 09:12:07 MacBook Air jamf[397]: Device Signature Error again")  // 204, its own record
        lines.append("    Device Signature Error in a continuation right after")  // 205
        lines += (0..<150).map { "    filler \($0) for the next chunk" }
        lines.append("Wed Feb 01 09:12:09 MacBook Air jamf[397]: last record")  // 356
        let (hits, scanner) = scan(lines.joined(separator: "\n") + "\n", shape: .jamf, rules: rules)
        #expect(hits.map(\.line) == [203, 204, 205])
        #expect(hits.map { $0.recordTime?.local.second } == [5, 7, 7])
        #expect(scanner.lineCount == 356)
        #expect(scanner.lastRecord?.line == 356)
        #expect(scanner.lastRecord?.time.local.second == 9)
    }

    /// Past a file's first record, a chunk is probed whole and lines are counted, not split.
    /// Against the line-by-line path (the same rules without the prefilter): the same hits, at
    /// the same line numbers, with the same record times, over many 4 KiB chunks of records,
    /// continuation lines, CRLF endings, blank lines and lines of every length.
    @Test func wholeChunkProbingKeepsLineNumbersAndRecordTimes() {
        let set = ruleSet([
            ("rules/sig.yml", "id: sig\ncause: c\npattern: 'Device Signature Error'\nexamples: {match: ['Device Signature Error']}\n"),
            ("rules/jss.yml", "id: jss\npattern: 'Could not connect to the JSS'\nexamples: {match: ['Could not connect to the JSS']}\n"),
            causeFile,
        ])
        var generator = SeededGenerator()
        var lines: [String] = []
        var expected: [Int] = []
        for n in 1...6000 {
            let second = String(format: "%02d", (n / 100) % 60)
            let body: String
            switch Int.random(in: 0..<40, using: &generator) {
            case 0: body = "Device Signature Error"; expected.append(n)
            case 1: body = "Could not connect to the JSS"; expected.append(n)
            case 2: body = String(repeating: "x", count: Int.random(in: 0...300, using: &generator))
            default: body = "Checking for policies \(n)"
            }
            let record = Int.random(in: 0..<4, using: &generator) > 0 || n == 1
            let text = record ? "Wed Feb 01 09:12:\(second) MacBook Air jamf[397]: \(body)" : (Bool.random(using: &generator) ? "    \(body)" : body)
            lines.append(text + (Int.random(in: 0..<10, using: &generator) == 0 ? "\r" : ""))
        }
        let log = lines.joined(separator: "\n") + "\n"
        let (fast, fastScanner) = scan(log, shape: .jamf, rules: CompiledRules(set))
        let (slow, slowScanner) = scan(log, shape: .jamf, rules: CompiledRules(set, prefilter: false))
        #expect(fast.map(\.line) == expected, "seed \(generator.seed)")
        #expect(fast.map(\.line) == slow.map(\.line), "seed \(generator.seed)")
        #expect(fast.map { $0.recordTime?.local.second } == slow.map { $0.recordTime?.local.second }, "seed \(generator.seed)")
        #expect(fast.map(\.text) == slow.map(\.text), "seed \(generator.seed)")
        #expect(fast.allSatisfy { !$0.text.hasSuffix("\r") }, "seed \(generator.seed)")
        #expect(fastScanner.lineCount == 6000 && slowScanner.lineCount == 6000, "seed \(generator.seed)")
        #expect(fastScanner.lastRecord?.line == slowScanner.lastRecord?.line, "seed \(generator.seed)")
    }

    /// Caseless PCRE2 equates ſ (U+017F) with s and the Kelvin sign (U+212A) with k; the
    /// prefilter's ASCII fold does not. A line holding either tries every rule, so the scan finds
    /// what PCRE2 alone finds: in the first lines (line by line), past them (whole chunks), in
    /// the same line as another literal (before or after it), and on an unterminated last line.
    @Test func longSAndKelvinSignLinesAreNotDropped() {
        let set = ruleSet([
            ("rules/key.yml", "id: key\npattern: '(?i)wants to sign using key'\nexamples: {match: ['wants to sign using key']}\n"),
            ("rules/prt.yml", "id: prt\npattern: '(?i)acquired PRT'\nand_literals: [acquired]\nexamples: {match: ['acquired PRT']}\n"),
            ("rules/jss.yml", "id: jss\npattern: 'Could not connect to the JSS'\nexamples: {match: ['Could not connect to the JSS']}\n"),
            causeFile,
        ])
        let variants = ["wants to \u{17F}ign using key", "wants to sign using \u{212A}ey", "WANTS TO SIGN USING KEY",
                        "Could not connect to the JSS; wants to sign u\u{17F}ing key", "wants to \u{17F}ign using key, Could not connect to the JSS",
                        "acquired PRT", "nothing here \u{17F}\u{212A}", "“quoted” text"]
        var lines: [String] = []
        for n in 0..<3000 {
            let second = String(format: "%02d", (n / 60) % 60)
            let body = n % 7 == 0 ? variants[(n / 7) % variants.count] : "filler line \(n) with some words"
            lines.append("Wed Feb 01 09:12:\(second) MacBook Air jamf[397]: \(body)")
        }
        let log = lines.joined(separator: "\n") + "\nWed Feb 01 09:13:00 MacBook Air jamf[397]: wants to sign u\u{17F}ing \u{212A}ey"
        let (fast, _) = scan(log, shape: .jamf, rules: CompiledRules(set))
        let (slow, _) = scan(log, shape: .jamf, rules: CompiledRules(set, prefilter: false))
        #expect(fast.map(\.line) == slow.map(\.line))
        #expect(fast.map(\.ruleIndex) == slow.map(\.ruleIndex))
        #expect(slow.count > 300, "the variants do match PCRE2 alone")
        #expect(fast.last?.line == 3001)
    }

    /// Where ſ and K start, found a block at a time, is where a byte-by-byte search finds them:
    /// at block edges, split across blocks, cut off at the end, among other high bytes.
    @Test func caseFoldSequencesAreAllFound() {
        let pieces: [[UInt8]] = [[0xC5, 0xBF], [0xE2, 0x84, 0xAA], [0xE2, 0x80, 0x9C], [0xC5], [0xE2, 0x84], [0xC3, 0xA9],
                                 Array("plain text ".utf8), Array("x".utf8), [0x0A]]
        var generator = SeededGenerator()
        var total = 0
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) { bytes += pieces.randomElement(using: &generator)! }
            var expected: [Int] = []
            for i in bytes.indices {
                if bytes[i] == 0xC5 && i + 1 < bytes.count && bytes[i + 1] == 0xBF { expected.append(i) }
                if bytes[i] == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x84 && bytes[i + 2] == 0xAA { expected.append(i) }
            }
            let got = bytes.withUnsafeBytes { FileScanner.caseFoldSequences(in: $0) }
            #expect(got == expected, "seed \(generator.seed): \(bytes)")
            total += expected.count
        }
        #expect(total > 1000, "seed \(generator.seed)")
        // Each sequence at every offset around the 64-byte blocks' edges.
        for sequence: [UInt8] in [[0xC5, 0xBF], [0xE2, 0x84, 0xAA]] {
            for at in 56..<72 {
                var bytes = [UInt8](repeating: 0x61, count: 140)
                bytes.replaceSubrange(at..<(at + sequence.count), with: sequence)
                #expect(bytes.withUnsafeBytes { FileScanner.caseFoldSequences(in: $0) } == [at], "seed \(generator.seed)")
                #expect(Array(bytes[..<(at + sequence.count - 1)]).withUnsafeBytes { FileScanner.caseFoldSequences(in: $0) } == [],
                        "cut off at the end")
            }
        }
    }

    /// An empty chunk (a pointer, no bytes) changes nothing, on either chunk path.
    @Test func emptyChunksAreHarmless() {
        let scanner = FileScanner(format: DetectedFormat(format: .jamf, shape: .jamf), rules: rules, matcher: Matcher()) { _ in }
        let first = Array("Wed Feb 01 09:12:04 MacBook Air jamf[335]: first\n".utf8)
        let spare = [UInt8](repeating: 0, count: 8)
        spare.withUnsafeBytes { scanner.consume(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0), .lines) }
        first.withUnsafeBytes { scanner.consume($0, .lines) }
        spare.withUnsafeBytes { scanner.consume(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0), .lines) }
        first.withUnsafeBytes { scanner.consume($0, .lines) }
        scanner.finish()
        #expect(scanner.lineCount == 2)
    }

    /// Newlines counted sixteen bytes at a time agree with a byte-by-byte count, for every
    /// length around the step sizes and past the point where the lanes are added up.
    @Test func countNewlinesAgreesWithAPlainCount() {
        var generator = SeededGenerator()
        for length in Array(0...200) + [4031, 4032, 4033, 4095, 4096, 4097, 20_000] {
            let density = Int.random(in: 1...8, using: &generator)
            let bytes = (0..<length).map { _ in Int.random(in: 0..<density, using: &generator) == 0 ? UInt8(0x0A) : UInt8.random(in: 0...255, using: &generator) }
            let plain = bytes.filter { $0 == 0x0A }.count
            let counted = bytes.withUnsafeBytes { countNewlines($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, length) }
            #expect(counted == plain, "seed \(generator.seed): length \(length)")
        }
        let all = [UInt8](repeating: 0x0A, count: 64 * 63 * 3 + 17)
        #expect(all.withUnsafeBytes { countNewlines($0.baseAddress!, all.count) } == all.count, "seed \(generator.seed)")
    }

    /// The last newline before a position, found eight bytes a step, is the one a byte-by-byte
    /// search finds, including among bytes 0x01 and 0x0B next to it (which a borrowing
    /// zero-byte test would confuse with it).
    @Test func lastNewlineAgreesWithAPlainSearch() {
        var generator = SeededGenerator()
        let alphabet: [UInt8] = [0x0A, 0x0B, 0x01, 0x00, 0x8A, 0x20, 0x61, 0xFF]
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...70, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let from = Int.random(in: 0...bytes.count, using: &generator)
            let before = Int.random(in: from...bytes.count, using: &generator)
            let plain = (from..<before).last { bytes[$0] == 0x0A }
            let found = bytes.withUnsafeBytes { FileScanner.lastNewline($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, from: from, before: before) }
            #expect(found == plain, "seed \(generator.seed): \(bytes) \(from)..<\(before)")
        }
    }

    @Test func jsonEscapedLinesMatchAfterDecoding() {
        let line = #"{"timestamp":"2024-02-06 10:14:03.118204-0500","eventMessage":"JamfAAD wants to access key \u201cMicrosoft Workplace Join Key\u201d in your keychain","processImagePath":"\/Library\/x"}"#
        let (hits, _) = scan(line + "\n", shape: .unifiedNDJSON, rules: rules)
        #expect(hits.map(\.line) == [1])
        #expect(hits.first?.text == line)
        #expect(hits.first?.recordTime?.zone == .offset(-18_000))
    }

    @Test func prettyJSONHitsGetTheTimeThatFollowsThem() {
        let log = """
        [{
          "eventMessage" : "Device Signature Error here",
          "timestamp" : "2024-02-06 10:14:03.118204-0500"
        },{
          "eventMessage" : "nothing",
          "timestamp" : "2024-02-06 11:00:00.000000-0500"
        }]
        """
        let (hits, _) = scan(log, shape: .unifiedJSON, rules: rules)
        #expect(hits.count == 1)
        #expect(hits[0].line == 2)
        #expect(hits[0].recordTime?.local.hour == 10)
    }

    @Test func capturesAndCRLF() {
        let (hits, _) = scan("x for device id 4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6\r\n", shape: .text, rules: rules)
        #expect(hits.first?.captures["device_id"] == "4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6")
        #expect(hits.first?.text.hasSuffix("E5F6") == true)
    }

    /// Named groups no condition reads are not extracted while scanning; the report reads them
    /// back from the line (EvidenceNotes), together with the ones the scan kept.
    @Test func displayCapturesAreReadBackAtReportTime() {
        let line = "x for device id 4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6 for ann"
        let (hits, _) = scan(line + "\n", shape: .text, rules: rules)
        #expect(hits.count == 1)
        #expect(hits.first?.captures == ["device_id": "4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6"])
        let notes = EvidenceNotes(rules: rules.ruleSet).notes(rule: "dev", text: line, captures: hits.first?.captures ?? [:])
        #expect(notes.captures == ["device_id": "4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6", "user": "ann"])
        #expect(notes.codes.isEmpty)
        #expect(EvidenceNotes(rules: rules.ruleSet).mayAnnotate(rule: "dev"))
        #expect(!EvidenceNotes(rules: rules.ruleSet).mayAnnotate(rule: "sig"))
    }

    @Test func invalidBytesNeverStopTheScan() {
        var bytes = Array("a\u{0}\u{0}b\n".utf8) + [0xFF, 0xFE, 0x0A] + Array("Device Signature Error\n".utf8)
        bytes.append(0xC3)
        var hits: [RawHit] = []
        let scanner = FileScanner(format: DetectedFormat(.text), rules: rules, matcher: Matcher()) { hits.append(RawHit($0)) }
        bytes.withUnsafeBytes { scanner.consume($0, .unterminated) }  // one long "line"
        #expect(hits.count == 1)
        #expect(hits[0].text.contains("\u{FFFD}"))
    }
}

@Suite struct PrefilterTests {
    /// The prefilter must never drop a line that PCRE2 alone would match.
    @Test func neverDropsAMatch() throws {
        let patterns = [
            #"Could not connect to the JSS"#, #"(?i)insufficient privileges"#, #"AADSTS65001(?!\d)"#,
            #"wants to access key ["“”]Microsoft Workplace Join Key"#, #"Enroll return code: [1-9]\d*"#,
        ]
        let compiled = try patterns.map { try CompiledPattern($0) }
        let filter = Prefilter(rules: patterns.enumerated().map { ($0.offset, LiteralExtractor.extract($0.element)!) })
        let fragments = ["Could not connect", " to the JSS", "INSUFFICIENT privileges", "AADSTS6500", "AADSTS65001",
                         "1 ", "wants to access key “Microsoft Workplace Join Key", "Enroll return code: 7", "noise ", "é", "\u{0}"]
        var generator = SeededGenerator()
        let matcher = Matcher()
        var matchedLines = 0
        for _ in 0..<4000 {
            var line = ""
            for _ in 0..<Int.random(in: 1...5, using: &generator) { line += fragments.randomElement(using: &generator)! }
            let bytes = Array(line.utf8)
            try bytes.withUnsafeBytes { raw in
                var candidates = Set<Int>()
                filter.candidates(in: raw) { candidates.insert($0) }
                // The scanner's way: the cheap test first, then candidates from where it stopped.
                let first = filter.firstCandidate(in: raw)
                var fromFirst = Set<Int>()
                if first >= 0 { filter.candidates(in: raw, from: first) { fromFirst.insert($0) } }
                #expect(fromFirst == candidates, "seed \(generator.seed): \(line)")
                for (i, p) in compiled.enumerated() where try matcher.matches(p, in: raw) {
                    matchedLines += 1
                    #expect(candidates.contains(i), "seed \(generator.seed): prefilter dropped \(patterns[i]) on \(line)")
                }
            }
        }
        #expect(matchedLines > 100, "seed \(generator.seed)")
    }

    /// A copy (what each worker scanning a split log gets) answers exactly as the prefilter it
    /// was copied from, and keeps working once that one is gone.
    @Test func copyAnswersLikeTheOriginal() throws {
        let rules: [(index: Int, literals: [String])] = [
            (0, ["Could not connect to the JSS"]), (1, ["insufficient privileges", "access denied"]),
            (2, ["AADSTS"]), (4, ["Enroll return code"]), (5, ["AADSTS", "token"]),
        ]
        let sample = Array(String(repeating: "2025-03-04 09:13:10.002 | aad | token refresh ok\n", count: 2000).utf8)
        var copy: Prefilter? = nil
        var original: Prefilter? = sample.withUnsafeBytes { Prefilter(rules: rules, sample: $0) }
        let answers = { (filter: Prefilter, line: [UInt8]) -> (Int, [Int]) in
            line.withUnsafeBytes { raw in
                var found: [Int] = []
                filter.candidates(in: raw) { found.append($0) }
                return (filter.firstCandidate(in: raw), found)
            }
        }
        let fragments = ["Could not connect", " to the JSS", "INSUFFICIENT privileges", "Access Denied", "AADSTS50",
                         "token", "Enroll return code: 7", "noise ", "é", "\u{0}"]
        var generator = SeededGenerator()
        var lines: [[UInt8]] = []
        for _ in 0..<2000 {
            var line = ""
            for _ in 0..<Int.random(in: 1...5, using: &generator) { line += fragments.randomElement(using: &generator)! }
            lines.append(Array(line.utf8))
        }
        copy = Prefilter(copying: original!)
        let expected = lines.map { answers(original!, $0) }
        #expect(expected.contains { !$0.1.isEmpty } && expected.contains { $0.0 < 0 }, "seed \(generator.seed)")
        original = nil
        for (line, want) in zip(lines, expected) {
            let got = answers(copy!, line)
            #expect(got.0 == want.0 && got.1 == want.1, "seed \(generator.seed): \(String(decoding: line, as: UTF8.self))")
        }
        #expect(copy!.allRules == [0, 1, 2, 4, 5] && copy!.stride == 2, "seed \(generator.seed)")
        let always = Prefilter(copying: Prefilter(rules: [(0, []), (1, ["abcd"])]))
        #expect(always.alwaysRules == [0] && always.allRules == [0, 1], "seed \(generator.seed)")
    }

    /// `and_literals` (Shift-And over all words at once) finds a word wherever it is, in any
    /// ASCII case, and says no when none is there.
    @Test func anyLiteralFindsEveryWordAndNothingElse() throws {
        let words = ["intune", "entra", "aad", "azure", "compliance", "conditional", "regist"]
        let any = try #require(AnyLiteral(words))
        let fragments = ["Executing Policy ", "INTUNE", "Intun", "entr", "ENTRA", "aa", "AAD", "d", "azur", "Azure",
                         "complian", "ce", "Conditional", "cond", "regis", "t", "Register", "“", "é", " ", "\u{0}"]
        var generator = SeededGenerator()
        var found = 0
        for _ in 0..<4000 {
            var line = ""
            // Up to 16 fragments: lines long enough to be read as two halves side by side, with
            // words across the middle.
            for _ in 0..<Int.random(in: 0...16, using: &generator) { line += fragments.randomElement(using: &generator)! }
            let expected = words.contains { line.lowercased().contains($0) }
            let got = Array(line.utf8).withUnsafeBytes { any.occurs(in: $0) }
            #expect(got == expected, "seed \(generator.seed): \(line)")
            if got { found += 1 }
        }
        #expect(found > 500 && found < 3900, "seed \(generator.seed)")
        // A word across the middle of a long line, and one in its last bytes, with nothing else.
        let filler = String(repeating: "x", count: 40)
        for word in words {
            for split in 1..<word.count {
                // `split` bytes of the word before the middle of the line, the rest after it.
                let line = String(repeating: "x", count: word.count + 40 - 2 * split) + word + filler
                #expect(line.utf8.count / 2 == word.count + 40 - 2 * split + split, "seed \(generator.seed)")
                #expect(Array(line.utf8).withUnsafeBytes { any.occurs(in: $0) }, "seed \(generator.seed): \(word) across the middle")
            }
            #expect(Array((filler + filler + word).utf8).withUnsafeBytes { any.occurs(in: $0) }, "seed \(generator.seed): \(word) at the end")
            #expect(!Array((filler + filler + String(word.dropLast())).utf8).withUnsafeBytes { any.occurs(in: $0) }, "seed \(generator.seed)")
        }
        #expect(AnyLiteral([]) == nil, "seed \(generator.seed)")
        #expect(AnyLiteral([String](repeating: "abcdefghijklmnopq", count: 4)) == nil, "seed \(generator.seed): 68 characters do not fit the state")
    }
}
