import Foundation
import Testing
import Yams

/// One scenario under Samples/: its logs (one Mac) and what logscan must say about them.
struct Scenario: CustomStringConvertible, Sendable {
    var name: String
    var args: [String]
    var causes: [String]
    var exit: Int32
    var timeline: [String]
    /// Causes reported as a consequence of another (cause → root); every other finding has none.
    var consequences: [String: String]
    var description: String { name }

    static func all() -> [Scenario] {
        let root = Harness.samples
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let url = root.appendingPathComponent(name).appendingPathComponent("expected.yml")
            guard let text = try? String(contentsOf: url, encoding: .utf8),
                  let yaml = (try? Yams.load(yaml: text)) as? [String: Any] else { return nil }
            return Scenario(name: name, args: yaml["args"] as? [String] ?? [], causes: yaml["causes"] as? [String] ?? [],
                            exit: Int32(yaml["exit"] as? Int ?? 0), timeline: yaml["timeline"] as? [String] ?? [],
                            consequences: yaml["consequences"] as? [String: String] ?? [:])
        }
    }
}

@Suite(.serialized) struct SampleTests {
    @Test func everyScenarioHasAnExpectation() {
        let dirs = ((try? FileManager.default.contentsOfDirectory(atPath: Harness.samples.path)) ?? [])
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: Harness.samples.appendingPathComponent($0).path, isDirectory: &d) && d.boolValue }
        #expect(Scenario.all().count == dirs.count)
        #expect(dirs.count >= 30)
    }

    @Test(arguments: Scenario.all())
    func scenario(_ s: Scenario) throws {
        let logs = "Samples/\(s.name)/logs"
        let r = try Harness.run(["scan", "--format", "json"] + s.args + [logs])
        #expect(r.status == s.exit, "\(r.stderr)")
        #expect(try Harness.schemaErrors(r.stdout) == [])
        let json = try r.json()
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["cause"] as? String }) == Set(s.causes))
        for f in findings {
            let cause = f["cause"] as? String ?? ""
            #expect(f["consequence_of"] as? String == s.consequences[cause], "consequence_of of \(cause)")
        }
        #expect((json["errors"] as? [Any])?.isEmpty == true)

        // Evidence and timeline entries quote the physical line they name, byte for byte.
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        var fileLines: [String: [String]] = [:]
        func line(_ source: String, _ number: Int) -> String? {
            if fileLines[source] == nil {
                let data = (try? Data(contentsOf: Harness.packageRoot.appendingPathComponent(source))) ?? Data()
                var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
                lines = lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
                fileLines[source] = lines
            }
            let lines = fileLines[source]!
            return number >= 1 && number <= lines.count ? lines[number - 1] : nil
        }
        let evidence = findings.flatMap { ($0["evidence"] as? [[String: Any]]) ?? [] }
        for entry in timeline + evidence {
            let source = try #require(entry["source"] as? String)
            let number = try #require(entry["line"] as? Int)
            #expect(line(source, number) == entry["text"] as? String, "\(source):\(number)")
        }
        // Every evidence line is on the timeline, carrying a cause.
        for e in evidence where e["rule"] as? String != "log-coverage" {
            #expect(timeline.contains { $0["source"] as? String == e["source"] as? String && $0["line"] as? Int == e["line"] as? Int && $0["cause"] as? String != nil })
        }
        // Findings: count = evidence, sorted by first_seen.
        for f in findings { #expect(f["count"] as? Int == (f["evidence"] as? [Any])?.count) }
        let firsts = findings.compactMap { $0["first_seen"] as? String }
        #expect(firsts == firsts.sorted())
        // Timeline times never go backwards.
        let times = timeline.compactMap { $0["time"] as? String }
        #expect(times == times.sorted())

        // The expected order of the listed timeline entries.
        if !s.timeline.isEmpty {
            let positions = s.timeline.map { key -> Int? in
                let parts = key.split(separator: ":")
                let file = parts.dropLast().joined(separator: ":"), number = Int(parts.last!)
                return timeline.firstIndex { ($0["source"] as? String)?.hasSuffix("/" + file) == true && $0["line"] as? Int == number }
            }
            for (key, position) in zip(s.timeline, positions) { #expect(position != nil, "\(key) is not on the timeline") }
            let found = positions.compactMap { $0 }
            #expect(found == found.sorted(), "timeline order: \(zip(s.timeline, positions).map { "\($0.0)@\($0.1 ?? -1)" })")
        }
    }

    @Test func sameResultsWithOneWorkerOrMany() throws {
        let one = try Harness.run(["scan", "--format", "json", "-j", "1", "--tz", "UTC", "Samples"])
        let many = try Harness.run(["scan", "--format", "json", "-j", "4", "--tz", "UTC", "Samples"])
        #expect(one.status == many.status)
        #expect(one.stdout == many.stdout)
    }

    /// A bundle with more matched lines than stay in memory: their text goes through temporary
    /// files, the JSON timeline is written by several threads with -j 2 (and one with -j 1),
    /// and both give the same document, every entry naming its own physical line.
    @Test func aLargeTimelineIsTheSameWithOneWorkerOrTwo() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        var lines: [String] = []
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        // 2024-01-01 is a Monday: one check-in every 10 minutes from there, with a quoted user
        // name (escaped in JSON) and a policy line between them (candidate, not a match).
        for k in 0..<45_000 {
            let minutes = k * 10, day = minutes / 1440
            let date = Calendar(identifier: .gregorian).date(byAdding: .day, value: day, to: Date(timeIntervalSince1970: 1_704_067_200))!
            let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month! - 1]
            let stamp = String(format: "%@ %@ %02d %02d:%02d:00", days[day % 7], month, c.day!, minutes / 60 % 24, minutes % 60)
            lines.append("\(stamp) Mac-\(k % 7) jamf[\(1000 + k)]: Checking for policies triggered by \"recurring check-in\" for user \"u\(k)\"...")
            lines.append("\(stamp) Mac-\(k % 7) jamf[\(1000 + k)]: Executing Policy Update Inventory")
        }
        let log = dir.appendingPathComponent("jamf.log")
        try (lines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        // The file's date bounds the inferred years: just after its last line.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_704_067_200 + 45_000 * 600 + 3600)], ofItemAtPath: log.path)
        let one = try Harness.run(["scan", "--format", "json", "--tz", "UTC", "-j", "1", log.path])
        let two = try Harness.run(["scan", "--format", "json", "--tz", "UTC", "-j2", log.path])
        #expect(one.status == two.status)
        #expect(one.stdout == two.stdout)
        let timeline = try #require(try one.json()["timeline"] as? [[String: Any]])
        #expect(timeline.count == 45_000)
        for (k, entry) in timeline.enumerated() where k % 997 == 0 || k == timeline.count - 1 {
            #expect(entry["line"] as? Int == 2 * k + 1)
            #expect(entry["text"] as? String == lines[2 * k])
        }
        #expect(timeline.first?["time"] as? String == "2024-01-01T00:00:00Z")
    }

    @Test func textReportNamesCauseEvidenceAndFix() throws {
        let r = try Harness.run(["Samples/register-not-via-self-service/logs"])
        #expect(r.status == 1)
        #expect(r.text.contains("register-not-via-self-service"))
        #expect(r.text.contains("Fix:"))
        #expect(r.text.contains("Timeline (UTC)"))
        #expect(!r.text.contains("\u{1B}["), "no colour when not a terminal")
    }
}

@Suite(.serialized) struct PrefilterSoundnessTests {
    /// The prefilter never drops a line that PCRE2 alone would match: on every sample, the
    /// report is the same byte for byte with and without it.
    @Test(arguments: Scenario.all())
    func sameReportWithoutPrefilter(_ s: Scenario) throws {
        let logs = "Samples/\(s.name)/logs"
        let fast = try Harness.run(["scan", "--format", "json"] + s.args + [logs])
        let slow = try Harness.run(["scan", "--format", "json", "--no-prefilter"] + s.args + [logs])
        #expect(fast.status == slow.status)
        #expect(fast.stdout == slow.stdout)
    }
}

/// A folder of collected archives, as an admin gathers them from a fleet.
@Suite(.serialized) struct FleetTests {
    static func zip(_ directory: URL, to archive: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["zip", "-qr", archive.path, "."]
        p.currentDirectoryURL = directory
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "zip must be installed (scripts/install-deps)")
    }

    @Test func fleetOfArchivesWithACorruptOne() throws {
        let root = try Harness.temporaryDirectory()
        defer { Harness.remove(root) }
        let fleet = root.appendingPathComponent("fleet")
        try FileManager.default.createDirectory(at: fleet, withIntermediateDirectories: true)
        let macs = ["register-not-via-self-service": "mac-01", "jamf-ssl-trust": "mac-02", "healthy-mac": "mac-03",
                    "intune-duplicate-entries": "mac-04"]
        for (scenario, mac) in macs {
            try Self.zip(Harness.samples.appendingPathComponent(scenario).appendingPathComponent("logs"),
                    to: fleet.appendingPathComponent("\(mac).zip"))
        }
        // A truncated copy of a good archive among them.
        let good = try Data(contentsOf: fleet.appendingPathComponent("mac-01.zip"))
        try good.prefix(good.count / 2).write(to: fleet.appendingPathComponent("mac-05.zip"))

        let one = try Harness.run(["scan", "--format", "json", "--tz", "America/Chicago", "-j", "1", fleet.path])
        let many = try Harness.run(["scan", "--format", "json", "--tz", "America/Chicago", "-j", "3", fleet.path])
        #expect(one.stdout == many.stdout, "-j 1 and -j 3 give the same report, byte for byte")
        #expect(one.status == 2, "a corrupt archive is an error; the others are still read")
        #expect(try Harness.schemaErrors(one.stdout) == [])
        let json = try one.json()
        let findings = try #require(json["findings"] as? [[String: Any]])
        var causes: [String: Set<String>] = [:]
        for f in findings {
            let bundle = ((f["bundle"] as? String) ?? "") as NSString
            causes[bundle.lastPathComponent, default: []].insert(f["cause"] as? String ?? "")
        }
        #expect(causes["mac-01.zip"] == ["register-not-via-self-service"])
        #expect(causes["mac-02.zip"] == ["jamf-ssl-trust"])
        #expect(causes["mac-03.zip"] == nil)
        #expect(causes["mac-04.zip"] == ["intune-duplicate-entries"])
        let errors = try #require(json["errors"] as? [[String: Any]])
        #expect(errors.contains { ($0["source"] as? String)?.contains("mac-05.zip") == true })
        // Evidence names the path through the archive.
        let sources = findings.flatMap { ($0["evidence"] as? [[String: Any]]) ?? [] }.compactMap { $0["source"] as? String }
        #expect(sources.allSatisfy { $0.contains(".zip!") })

        let csv = try Harness.run(["scan", "--format", "csv", "--tz", "America/Chicago", fleet.path])
        let rows = csv.text.split(separator: "\n")
        #expect(rows.first == "bundle,device,status,cause,title,severity,first_seen,last_seen,evidence_count,first_fix_step,redacted")
        // One row per Mac and cause, and one for each Mac without a cause: mac-03 is healthy,
        // mac-05 (the corrupt archive) is what its readable part shows (JSON's not_diagnosable
        // says which); its error goes to standard error.
        #expect(rows.count == findings.count + 2 + 1)
        #expect(rows.contains { $0.hasPrefix("\(fleet.path)/mac-03.zip,") && $0.contains(",healthy,,no known cause,") })
        let mac05 = try #require((json["bundles"] as? [[String: Any]])?.first { ($0["name"] as? String)?.hasSuffix("mac-05.zip") == true })
        let mac05Status = mac05["not_diagnosable"] is String ? "not-diagnosable" : "healthy"
        #expect(rows.contains { $0.hasPrefix("\(fleet.path)/mac-05.zip,") && $0.contains(",\(mac05Status),") })
        #expect(rows.contains { $0.hasPrefix("\(fleet.path)/mac-02.zip,") && $0.contains(",cause,jamf-ssl-trust,") })
        #expect(!csv.text.contains("truncated") && csv.stderr.contains("mac-05.zip"))
        #expect(csv.status == 2)
        let text = try Harness.run(["scan", "--tz", "America/Chicago", fleet.path])
        #expect(text.text.contains("Fleet: 5 Macs, 3 with a cause"))
        #expect(text.text.contains(mac05Status == "healthy" ? "mac-05.zip: no known cause" : "mac-05.zip: not diagnosable"))
    }
}

/// Rotated pieces of one log, stored in any order, are one log for temporal causes.
@Suite(.serialized) struct RotationOrderTests {
    func run(_ p: String, _ args: [String], in dir: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [p] + args
        process.currentDirectoryURL = dir
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Splits the scenario's jamf.log into jamf.log.0.gz (older half) and jamf.log (newer
    /// half), zips them with the newer piece stored first, and scans the zip.
    func causesAfterRotation(_ scenario: String, tz: String) throws -> Set<String> {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = Harness.samples.appendingPathComponent("\(scenario)/logs/var/log/jamf.log")
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let half = lines.count / 2
        let logs = dir.appendingPathComponent("var/log")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try (lines[..<half].joined(separator: "\n") + "\n").write(to: logs.appendingPathComponent("jamf.log.0"), atomically: true, encoding: .utf8)
        try lines[half...].joined(separator: "\n").write(to: logs.appendingPathComponent("jamf.log"), atomically: true, encoding: .utf8)
        try run("gzip", ["jamf.log.0"], in: logs)
        try run("zip", ["-q", "mac.zip", "var/log/jamf.log", "var/log/jamf.log.0.gz"], in: dir)
        let r = try Harness.run(["scan", "--format", "json", "--tz", tz, dir.appendingPathComponent("mac.zip").path])
        let json = try r.json()
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["source"] as? String ?? "" }.map { ($0 as NSString).lastPathComponent } == ["jamf.log", "jamf.log.0.gz"])
        return Set(((json["findings"] as? [[String: Any]]) ?? []).compactMap { $0["cause"] as? String })
    }

    @Test func aDayWithoutCheckInIsFoundAcrossPieces() throws {
        #expect(try causesAfterRotation("device-unresponsive-checkin", tz: "America/Denver") == ["device-unresponsive-checkin"])
    }

    @Test func aNightIsNotTurnedIntoAGapByFileOrder() throws {
        #expect(try causesAfterRotation("healthy-night-gap", tz: "Europe/London") == [])
    }
}
