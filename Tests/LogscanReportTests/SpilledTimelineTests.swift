import Foundation
import Testing
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis
import LogscanInput
import LogscanReport

@Suite struct SpilledTimelineTests {
    /// Two jamf.logs whose check-ins interleave: 2 × 20 000 timeline lines. Scanned with one
    /// entry chunk in memory (so hits, the bundle's entries and the sort all go through
    /// temporary files) the report is the same document, byte for byte, as scanned in memory.
    /// Variants: one log's clock steps back (sorted, not merged); a third log of jamfAAD token
    /// failures and rare successes (a span condition walks two lists of a spilled timeline).
    @Test(arguments: ["plain", "clockStepsBack", "tokenFailures"])
    func aBundleWhoseEntriesSpillReportsTheSameAsInMemory(variant: String) throws {
        let clockStepsBack = variant == "clockStepsBack"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-spill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = 1_704_067_200  // Monday 2024-01-01 00:00 UTC
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss"
        // jamf.log has no year: a clock set back only moves earlier lines to an earlier year,
        // and the file stays in order. A log with full times keeps the step.
        let full = DateFormatter()
        full.locale = Locale(identifier: "en_US_POSIX")
        full.timeZone = TimeZone(identifier: "UTC")
        full.dateFormat = "yyyy-MM-dd HH:mm:ss.000000+0000"
        var paths: [String] = []
        for (name, shift) in [("a", 0), ("b", 300)] {
            var text = ""
            for k in 0..<20_000 {
                // With `clockStepsBack`, b (a log with full times) has its clock set back a day
                // half-way: its lines are no longer in time order, so they are sorted, not
                // merged as one run.
                let steps = clockStepsBack && name == "b"
                let back = steps && k >= 10_000 ? 86_400 : 0
                let date = Date(timeIntervalSince1970: TimeInterval(start + shift + k * 600 - back))
                let stamp = steps ? full.string(from: date) : formatter.string(from: date)
                text += "\(stamp) Mac jamf[\(k)]: Checking for policies triggered by \"recurring check-in\" for user \"u\(k)\"...\n"
            }
            let sub = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let path = sub.appendingPathComponent(clockStepsBack && name == "b" ? "system.log" : "jamf.log").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(start + 20_000 * 600 + 3600))],
                                                  ofItemAtPath: path)
            paths.append(path)
        }
        if variant == "tokenFailures" {
            var text = ""
            for k in 0..<20_000 {
                let stamp = full.string(from: Date(timeIntervalSince1970: TimeInterval(start + 120 + k * 600)))
                let message = k % 500 == 499 ? "AAD ID acquired for macOS user u" : "No AAD ID found"
                text += "\(stamp) 0x3c1f2    Default     0x0    2211   0    Jamf Conditional Access: [com.jamf.management.jamfAAD:default] \(message)\n"
            }
            let sub = dir.appendingPathComponent("c")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let path = sub.appendingPathComponent("jamfAAD.log").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let rules = CompiledRules(RuleLoader.load(layers: [RuleLoader.builtinFiles()]))
        let options = AnalysisOptions(timeZone: TimeZone(identifier: "UTC"), assumedZone: TimeZone(identifier: "UTC")!)
        func report(memoryChunks: Int, jobs: Int) -> (json: [UInt8], spilled: Bool, count: Int) {
            let engine = ScanEngine(rules: rules, options: options, limits: ArchiveLimits(), jobs: jobs,
                                    entryMemoryChunks: memoryChunks)
            var out: [UInt8] = []
            var json = JSONReport.Stream { out += $0 }
            var bundles: [BundleReport] = []
            var spilled = false, count = 0
            _ = engine.run(paths: paths) { report, _ in
                spilled = spilled || report.timeline.entries.isSpilled
                // The classifier's reader sees what the timeline holds, field by field.
                let reader = report.timeline.reader()
                for i in stride(from: 0, to: report.timeline.count, by: 37) {
                    let event = report.timeline[i]
                    if reader.ruleIndex(at: i) != event.ruleIndex || reader.time(at: i) != event.time
                        || reader.format(at: i) != event.format || reader.captures(at: i) != event.captures
                        || reader.event(at: i).line != event.line || reader.event(at: i).text != event.text
                        || reader.event(at: i).source != event.source {
                        Issue.record("reader differs from the timeline at entry \(i)")
                        break
                    }
                }
                count += report.timeline.count
                json.timeline(of: report, jobs: jobs)
                var kept = report
                kept.timeline = []
                bundles.append(kept)
            }
            json.finish(ScanResult(bundles: bundles, errors: []))
            return (out, spilled, count)
        }
        let inMemory = report(memoryChunks: .max, jobs: 1)
        let spilled = report(memoryChunks: 1, jobs: 2)
        #expect(!inMemory.spilled)
        #expect(spilled.spilled)
        #expect(inMemory.count == (variant == "tokenFailures" ? 60_000 : 40_000))
        if variant == "tokenFailures" {
            let doc = try JSONSerialization.jsonObject(with: Data(inMemory.json)) as? [String: Any]
            let causes = (doc?["findings"] as? [[String: Any]])?.compactMap { $0["cause"] as? String } ?? []
            #expect(causes.contains("device-unresponsive-token"), "the span condition found no failure run: \(causes)")
        }
        let same = spilled.json == inMemory.json  // (not the arrays themselves: megabytes in a failure message)
        #expect(same, "the spilled report differs from the one made in memory")
        // And the order is the interleaved one: a's first check-in, then b's.
        if variant != "plain" { return }
        let doc = try JSONSerialization.jsonObject(with: Data(spilled.json)) as? [String: Any]
        let timeline = try #require(doc?["timeline"] as? [[String: Any]])
        #expect(timeline.prefix(3).compactMap { $0["time"] as? String } == ["2024-01-01T00:00:00Z", "2024-01-01T00:05:00Z", "2024-01-01T00:10:00Z"])
    }
}
