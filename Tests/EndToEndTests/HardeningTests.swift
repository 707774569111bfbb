import Foundation
import Testing

/// Issue 15: odd input never crashes a scan, never corrupts its output, never drops silently.
@Suite(.serialized) struct HardeningTests {
    static let checkin = #"mac jamf[1]: Checking for policies triggered by "recurring check-in" for user "ann"..."#
    static let unreachable = "mac jamf[1]: Could not connect to the JSS. Looking for cached policies..."

    /// Writes `text` to `name` in `dir`, with a modification date if given.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: URL, modified: Date? = nil) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path) }
        return url
    }

    static func date(_ rfc3339: String) -> Date { ISO8601DateFormatter().date(from: rfc3339)! }

    static func times(_ json: [String: Any]) -> [String?] {
        ((json["timeline"] as? [[String: Any]]) ?? []).map { $0["time"] as? String }
    }

    static func causes(_ json: [String: Any]) -> [String] {
        ((json["findings"] as? [[String: Any]]) ?? []).compactMap { $0["cause"] as? String }
    }

    // MARK: item 1, times outside the clock's range

    /// A line stamped with the .NET / Go zero time is kept, with an unknown time.
    @Test func zeroTimeLineIsEvidenceWithoutATime() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = try Self.write("0001-01-01 00:00:00 jamf[1]: Could not connect to the JSS.\n9999-12-31 23:59:59 jamf[1]: Could not connect to the JSS.\n", "zero.log", in: dir)
        for format in ["text", "json", "ndjson", "csv"] {
            let r = try Harness.run(["--format", format, log.path])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(!r.stderr.contains("overflow"), "\(format)")
        }
        let json = try Harness.run(["--format", "json", log.path]).json()
        #expect(Self.times(json) == [nil, nil])
        #expect(try Harness.schemaErrors(Harness.run(["--format", "json", log.path]).stdout).isEmpty)
    }

    /// --since / --until beyond the years a time can be placed in are taken at that edge.
    @Test func sinceAndUntilOutsideTheClockAreClamped() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = try Self.write("Mon Sep 30 10:00:00 \(Self.checkin)\n", "jamf.log", in: dir, modified: Self.date("2024-10-01T00:00:00Z"))
        for args in [["--until", "9999-12-31"], ["--since", "0001-01-01"], ["--since", "0001-01-01T00:00:00Z", "--until", "9999-12-31T23:59:59+14:00"]] {
            let r = try Harness.run(args + ["--format", "json", log.path])
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(Self.times(try r.json()) == ["2024-09-30T10:00:00Z"], "\(args)")
        }
        // Nothing is after 9999 or before year 1: an empty window, not a crash.
        let empty = try Harness.run(["--since", "9999-01-01", "--format", "json", log.path])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(Self.times(try empty.json()).isEmpty)
    }

    /// Feb 28 / Feb 29 pairs repeated: each Feb 29 needs an earlier leap year, and the walk
    /// backwards would go on for centuries. It stops five years before the file's date.
    @Test func yearWalkStopsAtABelievableFloor() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        var text = ""
        for _ in 0..<60 { text += "Wed Feb 28 10:00:00 \(Self.checkin)\nThu Feb 29 10:00:00 \(Self.unreachable)\n" }
        let log = try Self.write(text, "jamf.log", in: dir, modified: Self.date("2025-01-10T00:00:00Z"))
        let r = try Harness.run(["--format", "json", log.path])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try r.json()
        let times = Self.times(json)
        #expect(times.count == 120)
        #expect(times.compactMap { $0 }.allSatisfy { $0 >= "2020" && $0 < "2026" }, "\(times.compactMap { $0 })")
        #expect(times.contains(nil))
        let text2 = try Harness.run([log.path])
        #expect(text2.text.contains("the year walk stopped there"), "\(text2.text)")
    }

    // MARK: item 2, daylight-saving fall-back

    /// Check-ins every 15 minutes through the fall-back night, with failures five minutes after
    /// each check-in of the repeated hour (both passes): every line at its true instant.
    @Test(arguments: [("America/New_York", "2024-11-02T22:00:00Z", "2024-11-03T01"),
                      ("Europe/Berlin", "2024-10-26T20:00:00Z", "2024-10-27T02")])
    func fallBackNightIsPlacedInFileOrder(zone: String, startUTC: String, repeatedHour: String) throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let tz = TimeZone(identifier: zone)!
        let wall = DateFormatter()
        wall.locale = Locale(identifier: "en_US_POSIX")
        wall.timeZone = tz
        wall.dateFormat = "EEE MMM dd HH:mm:ss"
        let iso = DateFormatter()
        iso.locale = Locale(identifier: "en_US_POSIX")
        iso.timeZone = tz
        iso.dateFormat = "yyyy-MM-dd'T'HH"
        let utc = ISO8601DateFormatter()
        var text = "", expected: [String] = []
        var failuresInRepeatedHour = 0
        let start = Self.date(startUTC)
        for k in 0..<48 {
            let t = start.addingTimeInterval(Double(k) * 900)
            text += "\(wall.string(from: t)) \(Self.checkin)\n"
            expected.append(utc.string(from: t))
            if iso.string(from: t) == repeatedHour {
                let f = t.addingTimeInterval(300)
                text += "\(wall.string(from: f)) \(Self.unreachable)\n"
                expected.append(utc.string(from: f))
                failuresInRepeatedHour += 1
            }
        }
        #expect(failuresInRepeatedHour == 8, "the repeated hour is passed twice")
        let log = try Self.write(text, "jamf.log", in: dir, modified: start.addingTimeInterval(86_400 * 2))
        let r = try Harness.run(["--tz", zone, "--format", "json", log.path])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try r.json()
        #expect(Self.times(json).map { $0 ?? "null" } == expected)
        #expect(!Self.causes(json).contains("device-unresponsive-checkin"))
    }

    // MARK: item 4, write errors

    /// Runs a bash command line (with $L the binary) and returns its output and status.
    static func bash(_ script: String, in dir: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["L"] = Harness.binary.path
        process.environment = env
        let out = dir.appendingPathComponent("bash.out"), err = dir.appendingPathComponent("bash.err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    /// A log whose report in every format is megabytes: more than a pipe holds.
    static func bigLog(in dir: URL) throws -> URL {
        var text = ""
        for i in 0..<30_000 {
            text += "Mon Sep 30 \(10 + i / 3600):\(String(format: "%02d:%02d", i / 60 % 60, i % 60)) \(unreachable) \(i)\n"
        }
        return try write(text, "big.log", in: dir, modified: date("2024-10-01T00:00:00Z"))
    }

    @Test(arguments: ["text", "json", "ndjson", "csv"])
    func aFailedWriteIsExitTwoWithAMessage(format: String) throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        _ = try Self.bigLog(in: dir)
        let r = try Self.bash("\"$L\" --format \(format) big.log > /dev/full; echo \"status $?\"", in: dir)
        #expect(r.stdout == "status 2\n", "\(r.stderr)")
        #expect(r.stderr.contains("cannot write the report") && r.stderr.contains("No space left"), "\(r.stderr)")
    }

    @Test(arguments: ["text", "json", "ndjson", "csv"])
    func aClosedPipeEndsQuietly(format: String) throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        _ = try Self.bigLog(in: dir)
        let r = try Self.bash("\"$L\" --format \(format) big.log 2>err.txt | head -c 10 >/dev/null; echo \"status ${PIPESTATUS[0]}\"; cat err.txt", in: dir)
        #expect(r.stdout == "status 0\n", "\(r.stdout)")
    }

    @Test(arguments: ["text", "ndjson"])
    func followStopsOnAFailedOrClosedOutput(format: String) throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        _ = try Self.bigLog(in: dir)
        // Without the fix these would follow for ever: timeout turns that into status 124.
        let full = try Self.bash("timeout 60 \"$L\" follow --from-start --format \(format) big.log > /dev/full; echo \"status $?\"", in: dir)
        #expect(full.stdout == "status 2\n", "\(full.stderr)")
        #expect(full.stderr.contains("cannot write the report"), "\(full.stderr)")
        let pipe = try Self.bash("timeout 60 \"$L\" follow -q --from-start --format \(format) big.log 2>err.txt | head -c 10 >/dev/null; echo \"status ${PIPESTATUS[0]}\"; cat err.txt", in: dir)
        #expect(pipe.stdout == "status 0\n", "\(pipe.stdout)")
    }

    // MARK: items 3 and 5, invalid UTF-8 and control bytes

    /// A matched line holding invalid UTF-8, terminal escapes (title, clear screen), BEL and a
    /// C1 CSI, in a file whose name holds ESC, and inside a tar whose member name holds an
    /// invalid byte and ESC.
    static func hostileInputs(in dir: URL) throws -> [String] {
        var line = Data("Mon Sep 30 10:00:00 mac jamf[1]: Could not connect to the JSS. ".utf8)
        line += Data([0xFF, 0xFE, 0x20, 0xC3, 0x28, 0x20, 0xE2, 0x80, 0x20, 0xED, 0xA0, 0x80, 0x20, 0xF4, 0x90, 0x80, 0x80, 0x20])
        line += Data("\u{1B}]0;pwned\u{07} \u{1B}[2J \u{9B}31m \u{7F} \u{202E}txt.exe end\n".utf8)
        let evil = dir.appendingPathComponent("evil\u{1B}[31m.log")
        try line.write(to: evil)
        try FileManager.default.setAttributes([.modificationDate: date("2024-10-01T00:00:00Z")], ofItemAtPath: evil.path)
        let tar = dir.appendingPathComponent("mac.tar")
        let script = """
        import tarfile, io, sys
        data = open(sys.argv[1], 'rb').read()
        with tarfile.open(sys.argv[2], 'w', format=tarfile.GNU_FORMAT, encoding='utf-8', errors='surrogateescape') as t:
            info = tarfile.TarInfo(b'var/log/ja\\xffmf\\x1b[2J.log'.decode('utf-8', 'surrogateescape'))
            info.size = len(data); info.mtime = 1727740800
            t.addfile(info, io.BytesIO(data))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, evil.path, tar.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [evil.path, tar.path]
    }

    @Test func jsonAndNDJSONAreValidUTF8WhateverTheBytes() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let inputs = try Self.hostileInputs(in: dir)
        let json = try Harness.run(["--format", "json"] + inputs)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(String(data: json.stdout, encoding: .utf8) != nil, "not valid UTF-8")
        let doc = try json.json()
        let texts = ((doc["timeline"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }
        #expect(texts.count == 2)
        for t in texts {
            #expect(t.contains("JSS. \u{FFFD}\u{FFFD} \u{FFFD}( \u{FFFD} \u{FFFD}\u{FFFD}\u{FFFD} \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} \u{1B}]0;pwned\u{07}"), "\(t)")
        }
        #expect(try Harness.schemaErrors(json.stdout).isEmpty)
        let sources = ((doc["inputs"] as? [[String: Any]]) ?? []).compactMap { $0["source"] as? String }
        #expect(sources.contains { $0.hasSuffix("evil\u{1B}[31m.log") }, "\(sources)")
        // A member name's byte that is not UTF-8 is U+FFFD in JSON (`\xFF` in text); its
        // control bytes stay escaped.
        #expect(sources.contains { $0.hasSuffix("ja\u{FFFD}mf\\x1B[2J.log") }, "\(sources)")
        let nd = try Harness.run(["--format", "ndjson"] + inputs)
        #expect(String(data: nd.stdout, encoding: .utf8) != nil, "not valid UTF-8")
        for line in nd.stdout.split(separator: UInt8(ascii: "\n")) {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil, "\(String(decoding: line, as: UTF8.self))")
        }
    }

    /// No control byte from a log or a file name reaches the terminal raw, in scan or follow.
    @Test func textShowsControlBytesEscaped() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let inputs = try Self.hostileInputs(in: dir)
        func raw(_ text: String) -> [Unicode.Scalar] {
            text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) || $0 == "\u{202E}" }
        }
        // Wide enough that no escaped sequence is wrapped across lines.
        let r = try Harness.run(inputs, environment: ["COLUMNS": "400"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(raw(r.text).isEmpty, "\(raw(r.text))")
        #expect(r.text.contains(#"\x1B]0;pwned\x07 \x1B[2J \u{9B}31m \x7F \u{202E}txt.exe end"#), "\(r.text)")
        #expect(r.text.contains(#"evil\x1B[31m.log"#))
        #expect(r.text.contains(#"ja\xFFmf\x1B[2J.log"#))
        let follow = try Self.bash("COLUMNS=400 timeout -s INT 3 \"$L\" follow -q --from-start \(inputs.map { "'\($0)'" }.joined(separator: " ")); echo \"status $?\"", in: dir)
        #expect(follow.stdout.contains(#"\x1B]0;pwned\x07"#), "\(follow.stdout)")
        #expect(raw(follow.stdout).isEmpty, "\(raw(follow.stdout))")
    }

    /// A file that cannot be read is named on standard error in every format.
    @Test(arguments: ["text", "json", "ndjson", "csv"])
    func errorsReachStandardErrorInEveryFormat(format: String) throws {
        let r = try Harness.run(["--format", format, "/nonexistent/jamf.log"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/nonexistent/jamf.log"), "\(format): \(r.stderr)")
    }

    // MARK: item 10, the smaller ones

    @Test func sinceLaterThanUntilIsAUsageError() throws {
        let r = try Harness.run(["--since", "2020-03-10", "--until", "2020-03-09", "Samples/README.md"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("later than --until"), "\(r.stderr)")
    }

    @Test(arguments: [["--max-depth", "-1"], ["--max-ratio", "-5"], ["--max-entries", "-1"], ["--max-bundle-bytes", "-1"],
                      ["--max-line-length", "-1"], ["-j", "-2"], ["--jobs", "-2"], ["--max-line-length", "9223372036854775807"]])
    func badLimitsSayWhatIsWrong(arguments: [String]) throws {
        let r = try Harness.run(arguments + ["Samples/README.md"])
        #expect(r.status == 2)
        #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
        #expect(!r.stderr.contains("overflow"), "\(r.stderr)")
        #expect(r.stderr.contains(arguments[1]) && r.stderr.contains(arguments[0].hasPrefix("--") ? arguments[0] : "--jobs"), "\(r.stderr)")
    }

    @Test func explainWithABadPatternsDirectoryExitsTwo() throws {
        let r = try Harness.run(["explain", "mfa-required", "--patterns", "/nonexistent"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/nonexistent"))
    }

    @Test func rulesTestOnABrokenDirectoryDoesNotSayAllPassed() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        try Self.write("id: bad-yaml\npattern: [unclosed\n", "bad-yaml.yml", in: dir)
        let r = try Harness.run(["rules", "test", dir.path])
        #expect(r.status == 2)
        #expect(!r.text.contains("all passed"), "\(r.text)")
        let missing = try Harness.run(["rules", "test", "/nonexistent"])
        #expect(missing.status == 2)
        #expect(!missing.text.contains("all passed"), "\(missing.text)")
    }

    /// A 900 KB pattern with an error near its end is quoted around the error, not whole.
    @Test func rulesCheckCutsAHugePattern() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let pattern = String(repeating: "abcdefgh", count: 112_500) + "(unclosed"
        try Self.write("id: huge\npattern: '\(pattern)'\n", "huge.yml", in: dir)
        let r = try Harness.run(["rules", "check", dir.path])
        #expect(r.status == 2)
        #expect(r.stderr.utf8.count < 2_000, "\(r.stderr.utf8.count) bytes of diagnostics")
        #expect(r.stderr.contains("missing closing parenthesis"), "\(r.stderr)")
        #expect(r.stderr.contains("defgh(unclosed (900009 bytes in all, cut)"), "\(r.stderr)")
        #expect(r.stderr.contains("900009 bytes in all, cut"), "\(r.stderr)")
        // The caret sits under the end of the quoted part, where the error is.
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let quote = try #require(lines.first { $0.contains("(unclosed") })
        let caret = try #require(lines.first { $0.contains("^ offset") })
        #expect(caret.firstIndex(of: "^")!.utf16Offset(in: caret) == quote.range(of: "(unclosed")!.upperBound.utf16Offset(in: quote))
    }

    /// A rule file saved as UTF-16 is read (YAML allows it); no raw NUL reaches a message.
    @Test func utf16RuleFilesAreDecoded() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let good = "id: wide-rule\ncause: mfa-required\npattern: 'Some wide literal'\nexamples: {match: ['Some wide literal here']}\n"
        var le = Data([0xFF, 0xFE]); le.append(good.data(using: .utf16LittleEndian)!)
        try le.write(to: dir.appendingPathComponent("wide-rule.yml"))
        let bad = "id: wide-bad\npattern: [unclosed\n"
        try bad.data(using: .utf16BigEndian)!.write(to: dir.appendingPathComponent("wide-bad.yml"))
        let r = try Harness.run(["rules", "check", dir.path])
        #expect(r.status == 2)
        #expect(!r.stderr.contains("\u{0}"), "raw NUL in: \(r.stderr.debugDescription)")
        #expect(r.stderr.contains("wide-bad.yml"))
        #expect(!r.stderr.contains("wide-rule.yml"), "\(r.stderr)")
        let list = try Harness.run(["rules", "list", "--patterns", dir.path])
        #expect(list.text.contains("rule   wide-rule "))
    }

    @Test func followHelpListsOnlyTheFormatsFollowWrites() throws {
        let r = try Harness.run(["follow", "--help"])
        #expect(r.status == 0)
        let help = r.text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        // The formats follow writes as it goes: text and ndjson (and any other live one), never
        // the whole-document formats.
        #expect(help.contains("Output format: text, ndjson") || help.contains("Output format: text or ndjson"), "\(r.text)")
        #expect(!help.contains("csv") && !help.contains(" json"), "\(r.text)")
        let scanHelp = try Harness.run(["scan", "--help"])
        #expect(scanHelp.text.contains("csv"))
        let rejected = try Harness.run(["follow", "--format", "csv", "x.log"])
        #expect(rejected.status == 2)
    }

    /// `bytes` of a UTF-16 input is its size on disk (BOM included), not the transcoded size.
    @Test func utf16InputBytesAreTheStoredBytes() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        var data = Data([0xFF, 0xFE])
        data.append((healthyPortalLine + portalLine).data(using: .utf16LittleEndian)!)
        let url = dir.appendingPathComponent("wide.log")
        try data.write(to: url)
        let r = try Harness.run(["--format", "json", url.path])
        let input = try #require((try r.json()["inputs"] as? [[String: Any]])?.first)
        #expect(input["bytes"] as? Int == data.count)
        #expect(input["lines"] as? Int == 2)
    }

    /// `rules test` runs every rule on long lines made from its examples: the built-in rules
    /// never hit PCRE2's match limit on a line of --max-line-length; a backtracking rule does.
    @Test func rulesTestChecksLongLines() throws {
        let builtIn = try Harness.run(["rules", "test"])
        #expect(builtIn.status == 0, "\(builtIn.text)")
        #expect(builtIn.text.contains("all passed"))
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        // Its near-miss lines hold runs of 119 a's then a space: 2^29 ways to fail.
        let example = "y " + String(repeating: "aaaa", count: 30) + "y1"
        try Self.write("id: backtracking\npattern: '(?:aaaa|aaaa)*y\\d'\nliterals: ['aaaa']\nexamples: {match: ['\(example)']}\n", "backtracking.yml", in: dir)
        let r = try Harness.run(["rules", "test", "--max-line-length", "300000", dir.path])
        #expect(r.status == 1, "\(r.text)")
        #expect(r.text.contains("FAIL backtracking: hits a PCRE2 limit"), "\(r.text)")
        let skipped = try Harness.run(["rules", "test", "--max-line-length", "0", dir.path])
        #expect(skipped.status == 0, "\(skipped.text)")
    }

    /// A built-in rule on a 500 KB line still finds its cause (no match-limit error).
    @Test func builtInRulesFindTheirCauseOnALongLine() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let line = "2024-05-14 09:41:07,512 [ERROR] [eralPool-17] [ntuneIntegrationService ] - " + String(repeating: "x ", count: 250_000)
            + "Token request failed: AADSTS90002: Tenant 'contoso.onmicrosoft.con' not found.\n"
        let log = try Self.write(line, "JAMFSoftwareServer.log", in: dir)
        let r = try Harness.run(["--format", "json", log.path])
        #expect(r.status == 1, "\(r.stderr)")
        let json = try r.json()
        #expect(Self.causes(json).contains("tenant-not-found"))
        #expect((json["errors"] as? [Any])?.isEmpty == true, "\(json["errors"] ?? "")")
    }
}
