import Foundation
import LogscanInput
import Testing
@testable import LogscanDiagnosis
import LogscanRules
import LogscanScan
import LogscanSupport

/// A bundle's timeline numbers its events in 32 bits and its files in 24: matched lines past
/// that are reported as an error, never left to overflow. Shown with small injected limits.
@Suite struct TimelineLimitTests {
    static let line = "2020-04-27 03:07:%02d.118\tINFO\tcom.microsoft.ssp.application\tTID=1\tWelcomeViewController.swift: 253 (startLogin()) Portal launched without WPJ only arg while account is under partner management\n"

    func scan(files: Int, linesEach: Int, limits: TimelineLimits) throws -> BundleReport {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for f in 0..<files {
            let text = (0..<linesEach).map { String(format: Self.line, f * linesEach + $0) }.joined()
            try text.write(to: dir.appendingPathComponent("portal-\(f).log"), atomically: true, encoding: .utf8)
        }
        var settings = ScanPlan.Settings(jobs: 1)
        settings.timelineLimits = limits
        let engine = ScanEngine(rules: CompiledRules(RuleLoader.load(layers: [RuleLoader.builtinFiles()])),
                                options: AnalysisOptions(assumedZone: TimeZone(identifier: "UTC")!),
                                limits: ArchiveLimits(), settings: settings)
        var reports: [BundleReport] = []
        _ = engine.run(paths: [dir.path]) { report, _ in reports.append(report) }
        return try #require(reports.first)
    }

    @Test func matchedLinesPastTheEntryLimitAreAnErrorNotATrap() throws {
        let report = try scan(files: 1, linesEach: 5, limits: TimelineLimits(entries: 3))
        #expect(report.timeline.count == 3)
        #expect(report.inputs.map(\.lines) == [5])
        #expect(report.errors.map(\.message) == ["timeline full: 2 matched lines past the first 3 were not used as evidence; scan fewer or smaller logs per bundle"])
        #expect(!report.findings.isEmpty, "the lines kept are still evidence")
    }

    @Test func filesPastTheFileLimitAreAnError() throws {
        let report = try scan(files: 3, linesEach: 2, limits: TimelineLimits(files: 2))
        #expect(report.timeline.count == 4)
        #expect(Set(report.timeline.map(\.source)).count == 2)
        #expect(report.errors.map(\.message) == ["timeline full: the 2 matched lines of 1 files past the first 2 were not used as evidence; scan fewer logs per bundle"])
    }

    @Test func withinTheLimitsNothingIsSaid() throws {
        let report = try scan(files: 2, linesEach: 3, limits: TimelineLimits(entries: 6, files: 2))
        #expect(report.timeline.count == 6)
        #expect(report.errors.isEmpty)
    }

    @Test func theLimitsNeverExceedWhatTheEntriesCanHold() {
        let limits = TimelineLimits(entries: .max, files: .max)
        #expect(limits.entries == Int(UInt32.max))
        #expect(limits.files == 1 << 24)
    }
}
