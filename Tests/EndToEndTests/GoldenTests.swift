import Foundation
import Testing

/// Golden outputs: every sample (and a fleet of archives built from samples) in every output
/// format, compared byte for byte with the files under `Tests/golden/`.
///
/// The inputs are copied into a fresh directory with every file time pinned, and logscan runs
/// there with relative paths, `TZ=UTC`, `NO_COLOR=1` and `COLUMNS=100`, so the output depends on
/// nothing but the code and the samples. `scripts/record-golden` (which sets
/// `LOGSCAN_RECORD_GOLDEN=1`) writes the files anew; do that only when the output is meant to
/// change, and read `git diff Tests/golden` before committing.
@Suite(.serialized) struct GoldenTests {
    static let goldenRoot = Harness.packageRoot.appendingPathComponent("Tests/golden")
    static let recording = ProcessInfo.processInfo.environment["LOGSCAN_RECORD_GOLDEN"] == "1"
    /// jamf.log carries no year: its year is inferred from the file's time, so that is pinned.
    static let pinnedFileTime = Date(timeIntervalSince1970: 1_780_272_000) // 2026-06-01T00:00:00Z

    /// One golden case: a name, the arguments after `--format F`, and how to lay out its inputs.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var args: [String]
        var description: String { name }
    }

    static let formats: [(name: String, ext: String)] = [("text", "txt"), ("json", "json"), ("ndjson", "ndjson"), ("csv", "csv")]

    static func cases() -> [Case] {
        var cases = Scenario.all().map { Case(name: $0.name, args: $0.args + ["Samples/\($0.name)/logs"]) }
        // A fleet: one zip, one tar.gz and one directory per Mac, plus a nested archive.
        cases.append(Case(name: "fleet", args: ["--tz", "America/Chicago", "fleet"]))
        // Several plain files of one Mac named on the command line (one bundle), one compressed.
        cases.append(Case(name: "plain-files", args: ["--tz", "America/Chicago",
                                                      "loose/jamf.log", "loose/jamf.log.0.gz", "loose/JamfConditionalAccess.log"]))
        return cases
    }

    /// Copies what `c` reads into `root`, with pinned file times.
    static func layOut(_ c: Case, in root: URL) throws {
        let fm = FileManager.default
        let samples = root.appendingPathComponent("Samples")
        try fm.copyItem(at: Harness.samples, to: samples)
        switch c.name {
        case "fleet":
            let fleet = root.appendingPathComponent("fleet")
            try fm.createDirectory(at: fleet, withIntermediateDirectories: true)
            try pinTimes(samples)
            try shell(["bash", "-c", "find . -type f | LC_ALL=C sort | zip -X -q -@ ../../../fleet/mac-ann.zip"],
                      in: samples.appendingPathComponent("multi-log-timeline/logs"))
            try shell(["tar", "--sort=name", "--mtime=2026-06-01 00:00:00Z", "--owner=0", "--group=0", "--numeric-owner",
                       "-czf", "../../../fleet/mac-bob.tar.gz", "."],
                      in: samples.appendingPathComponent("compliance-mismatch/logs"))
            try fm.copyItem(at: samples.appendingPathComponent("healthy-mac/logs"), to: fleet.appendingPathComponent("mac-carol"))
            // A zip holding a tar.gz: the nesting is one Mac.
            let inner = root.appendingPathComponent("inner")
            try fm.createDirectory(at: inner, withIntermediateDirectories: true)
            try shell(["tar", "--sort=name", "--mtime=2026-06-01 00:00:00Z", "--owner=0", "--group=0", "--numeric-owner",
                       "-czf", "../../../inner/logs.tar.gz", "."], in: samples.appendingPathComponent("mfa-required/logs"))
            try pinTimes(inner)
            try shell(["zip", "-X", "-q", "../fleet/mac-dave.zip", "logs.tar.gz"], in: inner)
        case "plain-files":
            let loose = root.appendingPathComponent("loose")
            try fm.createDirectory(at: loose, withIntermediateDirectories: true)
            let logs = samples.appendingPathComponent("multi-log-timeline/logs")
            let jamf = try #require(fm.enumerator(atPath: logs.path)?.compactMap { $0 as? String }.first { $0.hasSuffix("jamf.log") })
            let data = try Data(contentsOf: logs.appendingPathComponent(jamf))
            // The first part of the log goes into a rotated, compressed piece.
            let text = String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let cut = lines.count / 3
            try Data(lines[..<cut].joined(separator: "\n").appending("\n").utf8).write(to: loose.appendingPathComponent("jamf.log.0"))
            try Data(lines[cut...].joined(separator: "\n").utf8).write(to: loose.appendingPathComponent("jamf.log"))
            try shell(["gzip", "-n", "jamf.log.0"], in: loose)
            let cal = try #require(fm.enumerator(atPath: logs.path)?.compactMap { $0 as? String }.first { $0.hasSuffix("JamfConditionalAccess.log") })
            try fm.copyItem(at: logs.appendingPathComponent(cal), to: loose.appendingPathComponent("JamfConditionalAccess.log"))
        default:
            break
        }
        try pinTimes(root)
    }

    static func pinTimes(_ dir: URL) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir.path) else { return }
        for case let path as String in walker {
            try fm.setAttributes([.modificationDate: pinnedFileTime], ofItemAtPath: dir.appendingPathComponent(path).path)
        }
    }

    static func shell(_ argv: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.currentDirectoryURL = dir
        p.environment = ["PATH": "/usr/bin:/bin", "TZ": "UTC", "GZIP": "-n"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "\(argv.joined(separator: " ")) failed in \(dir.path)")
    }

    @Test(arguments: cases())
    func golden(_ c: Case) throws {
        let root = try Harness.temporaryDirectory()
        defer { Harness.remove(root) }
        try Self.layOut(c, in: root)
        let env = ["TZ": "UTC", "COLUMNS": "100", "NO_COLOR": "1", "LANG": "C.UTF-8"]
        var mismatches: [String] = []
        for format in Self.formats {
            let r = try Harness.run(["scan", "--format", format.name] + c.args, directory: root, environment: env)
            // The exit status and standard error are part of what users see.
            var output = r.stdout
            output.append(Data("\n--- exit \(r.status); stderr:\n\(r.stderr)".utf8))
            let file = Self.goldenRoot.appendingPathComponent(c.name).appendingPathComponent("\(format.name).\(format.ext)")
            if Self.recording {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try output.write(to: file)
                continue
            }
            let expected = try Data(contentsOf: file)
            if expected != output {
                mismatches.append(Self.firstDifference(expected: expected, actual: output, file: file))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))\n(scripts/record-golden re-records, if the change is meant)")
    }

    /// Names the first line where `actual` differs from the golden file.
    static func firstDifference(expected: Data, actual: Data, file: URL) -> String {
        let e = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
        let a = String(decoding: actual, as: UTF8.self).components(separatedBy: "\n")
        let relative = file.path.replacingOccurrences(of: Harness.packageRoot.path + "/", with: "")
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? e[i] : "<end of file>"
            let al = i < a.count ? a[i] : "<end of output>"
            if el != al { return "\(relative):\(i + 1)\n  golden: \(el.prefix(300))\n  actual: \(al.prefix(300))" }
        }
        return "\(relative): differs"
    }

    @Test func everyGoldenFileBelongsToACase() throws {
        guard !Self.recording else { return }
        let names = Set(Self.cases().map(\.name))
        let dirs = try FileManager.default.contentsOfDirectory(atPath: Self.goldenRoot.path)
        #expect(Set(dirs) == names, "stale or missing golden folders under Tests/golden")
    }
}
