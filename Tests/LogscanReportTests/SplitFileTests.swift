import Foundation
import Testing
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// A large log split into parts scanned side by side must report exactly what reading it whole
/// reports: same hits and record times, line numbers, line/byte/truncation counts, first and
/// last records, problems.
@Suite struct SplitFileTests {
    static let partBytes: Int64 = 32 << 10

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// jamf.log records with continuation lines, some of which hold the signature (its time is
    /// the record's, on the line above); four lines in five are not record starts, so most
    /// planned cuts fall inside a record and must move on to the next one.
    static func jamfWithContinuations(records: Int) -> String {
        var text = ""
        for k in 0..<records {
            let minute = k % 60, hour = (k / 60) % 24
            let stamp = "Mon Jan 01 \(pad(hour)):\(pad(minute)):\(pad(k % 60))"
            if k % 7 == 3 {
                text += "\(stamp) Mac jamf[\(k)]: Enrolling computer \(k)\n"
                text += "    Device Signature Error - A valid device signature is required to perform the action.\n"
                text += "    at step \(k)\n    at step \(k + 1)\n    done\n"
            } else {
                text += "\(stamp) Mac jamf[\(k)]: Checking for policies triggered by \"recurring check-in\" for user \"u\(k)\"...\n"
                text += "    detail \(k)\n    detail \(k + 1)\n    detail \(k + 2)\n    detail \(k + 3)\n"
            }
        }
        return text
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static let companyPortalSample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples/compliance-mismatch/logs/Users/leo/Library/Logs/Company Portal/com.microsoft.CompanyPortalMac 2025-11-10--15-15-26-179.log").path

    /// The report of `paths` as JSON, scanned on `jobs` workers with parts of `partBytes`.
    static func report(_ paths: [String], jobs: Int, rules: CompiledRules, maxLineLength: Int = 1 << 20) -> [UInt8] {
        let options = AnalysisOptions(timeZone: TimeZone(identifier: "UTC"), assumedZone: TimeZone(identifier: "UTC")!)
        let engine = ScanEngine(rules: rules, options: options, limits: ArchiveLimits(), jobs: jobs,
                                maxLineLength: maxLineLength, partBytes: partBytes)
        var out: [UInt8] = []
        var json = JSONReport.Stream { out += $0 }
        var bundles: [BundleReport] = []
        let errors = engine.run(paths: paths) { report, _ in
            json.timeline(of: report)
            var kept = report
            kept.timeline = []
            bundles.append(kept)
        }
        json.finish(ScanResult(bundles: bundles, errors: errors))
        return out
    }

    static let builtinRules = CompiledRules(RuleLoader.load(layers: [RuleLoader.builtinFiles()]))

    static func plan(_ path: String, maxLineLength: Int = 1 << 20) -> SplitFile? {
        SplitFile.plan(path: path, bundle: path, fileIndex: 0, detector: FormatDetector(), partBytes: partBytes,
                       readSize: max(1 << 20, maxLineLength + 1), entryMemoryChunks: EntryList.defaultMemoryChunks)
    }

    @Test func partsStartAtRecordsAndCoverTheFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("jamf.log").path
        try Self.jamfWithContinuations(records: 8_000).write(toFile: path, atomically: true, encoding: .utf8)
        let split = try #require(Self.plan(path))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(split.parts.count > 10)
        #expect(split.parts.first?.lowerBound == 0)
        #expect(split.parts.last?.upperBound == Int64(bytes.count))
        for (a, b) in zip(split.parts, split.parts.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        // The first part holds the first 1000 lines; every other starts a record.
        let firstPart = bytes[0..<Int(split.parts[0].upperBound)]
        #expect(firstPart.filter { $0 == 0x0A }.count >= SplitFile.firstPartLines)
        for part in split.parts.dropFirst() {
            let start = Int(part.lowerBound)
            #expect(bytes[start - 1] == 0x0A)
            let line = String(decoding: bytes[start..<min(bytes.count, start + 20)], as: UTF8.self)
            #expect(line.hasPrefix("Mon Jan 01 "), "part at \(start) starts with \(line)")
        }
    }

    @Test func logsNotWorthSplittingAreReadWhole() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = Self.jamfWithContinuations(records: 8_000)
        // Small, compressed, UTF-16, pretty-printed JSON: none is split.
        let small = dir.appendingPathComponent("small.log").path
        try String(text.prefix(Int(Self.partBytes))).write(toFile: small, atomically: true, encoding: .utf8)
        let utf16 = dir.appendingPathComponent("utf16.log").path
        try text.write(toFile: utf16, atomically: true, encoding: .utf16)
        let gz = dir.appendingPathComponent("jamf.log.gz").path
        FileManager.default.createFile(atPath: gz, contents: Data([0x1F, 0x8B, 0x08, 0x00]) + Data(text.utf8))
        var pretty = "[{\n"
        for k in 0..<6_000 {
            pretty += "  \"timestamp\" : \"2024-01-01 00:00:\(Self.pad(k % 60)).000000+0000\",\n  \"eventMessage\" : \"message \(k)\"\n},{\n"
        }
        pretty += "  \"eventMessage\" : \"end\"\n}]\n"
        let json = dir.appendingPathComponent("export.json").path
        try pretty.write(toFile: json, atomically: true, encoding: .utf8)
        for path in [small, utf16, gz, json] { #expect(Self.plan(path) == nil, "\(path) was split") }
    }

    @Test(arguments: ["jamfContinuations", "crlfWithByteOrderMark", "longLinesNoFinalNewline"])
    func aSplitLogReportsWhatItsWholeReadReports(variant: String) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path: String
        var maxLineLength = 1 << 20
        switch variant {
        case "crlfWithByteOrderMark":
            // A Company Portal log written with CRLF line ends and a UTF-8 byte order mark.
            let sample = try String(contentsOfFile: Self.companyPortalSample, encoding: .utf8)
            var text = "\u{FEFF}"
            for _ in 0..<200 { text += sample.replacingOccurrences(of: "\n", with: "\r\n") }
            path = dir.appendingPathComponent("com.microsoft.CompanyPortalMac.log").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        case "longLinesNoFinalNewline":
            // Lines longer than the cap (cut and counted), and a last line with no newline.
            maxLineLength = 4096
            var text = Self.jamfWithContinuations(records: 6_000)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for k in stride(from: 1_500, to: lines.count - 1, by: 997) where !lines[k].hasPrefix(" ") {
                lines[k] += " " + String(repeating: "x", count: 9_000)
            }
            text = lines.joined(separator: "\n")
            text += "Mon Jan 01 23:59:59 Mac jamf[1]: Device Signature Error - A valid device signature is required to perform the action."
            path = dir.appendingPathComponent("jamf.log").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        default:
            path = dir.appendingPathComponent("jamf.log").path
            try Self.jamfWithContinuations(records: 8_000).write(toFile: path, atomically: true, encoding: .utf8)
        }
        let split = try #require(Self.plan(path, maxLineLength: maxLineLength))
        #expect(split.parts.count > 3)
        let whole = Self.report([path], jobs: 1, rules: Self.builtinRules, maxLineLength: maxLineLength)
        let parts = Self.report([path], jobs: 2, rules: Self.builtinRules, maxLineLength: maxLineLength)
        let same = whole == parts  // (not the arrays themselves: megabytes in a failure message)
        #expect(same, "the report of the split log differs from the whole read's")
        // The report has evidence in it, so the comparison says something.
        let document = try #require(try JSONSerialization.jsonObject(with: Data(whole)) as? [String: Any])
        let timeline = try #require(document["timeline"] as? [[String: Any]])
        #expect(timeline.count > 100)
        let inputs = try #require(document["inputs"] as? [[String: Any]])
        if variant == "longLinesNoFinalNewline" { #expect((inputs.first?["truncated_lines"] as? Int ?? 0) > 0) }
    }

    /// A rule that PCRE2 gives up on is reported once per file, at the first line it failed
    /// on, as a whole read does: the line found in a later part is counted from the file's start.
    @Test func aMatchLimitProblemInALaterPartNamesTheFilesLine() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rule = """
        id: test-runaway
        title: a pattern that backtracks without end
        formats: [jamf]
        pattern: 'RUNAWAY(?:a|a)*b'
        examples: {match: ['Mon Jan 01 12:00:00 Mac jamf[9]: RUNAWAYaab']}
        """
        let set = RuleLoader.load(layers: [RuleLoader.builtinFiles(), [PatternFile(path: "rules/test-runaway.yml", contents: rule)]])
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        let rules = CompiledRules(set)
        var lines = Self.jamfWithContinuations(records: 8_000).split(separator: "\n").map(String.init)
        // A "b" after the run lets PCRE2's required-character check through to the backtracking.
        let runaway = "Mon Jan 01 12:00:00 Mac jamf[9]: RUNAWAY" + String(repeating: "a", count: 40) + "c b"
        // Two lines near the end, well past the first part.
        lines.insert(runaway, at: lines.count - 100)
        lines.insert(runaway, at: lines.count - 50)
        let path = dir.appendingPathComponent("jamf.log").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let split = try #require(Self.plan(path))
        #expect(split.parts.count > 3)
        let whole = Self.report([path], jobs: 1, rules: rules)
        let same = whole == Self.report([path], jobs: 2, rules: rules)
        #expect(same, "the report of the split log differs from the whole read's")
        let text = String(decoding: whole, as: UTF8.self)
        let named = text.contains("rule test-runaway:"), placed = text.contains("on line \(lines.count - 101) ")
        #expect(named && placed, "the report names the rule and the file's line of its first failure")
    }
}
