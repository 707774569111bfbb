import Foundation
import Testing

/// `--format html` as a reader gets it: every sample's report and a fleet's are opened in headless
/// Chromium (Tests/browser/check_report.py drives it over the DevTools protocol), and what the
/// page shows is compared with the JSON report of the same inputs. Screenshots are kept under
/// .build/artifacts/html-report/ (the path is printed): light, dark, print and without
/// JavaScript for the fleet and one single-Mac report, light for the rest.
///
/// Chromium comes from scripts/install-deps; `CHROMIUM` names another binary.
@Suite(.serialized) struct BrowserTests {
    static let artifacts = Harness.packageRoot.appendingPathComponent(".build/artifacts/html-report")
    /// Evidence lines listed per cause: in the report of one Mac, in a fleet's.
    static let evidenceShown = (oneMac: 20, fleet: 8)

    struct Expected {
        var bundles: [(name: String, device: String?)]
        var findings: [[String: Any]]
        /// The unrecognized-error kinds (most frequent first) of each bundle.
        var unrecognized: [String: [[String: Any]]] = [:]
        var notDiagnosable: Set<String> = []
        var redacted = false
    }

    static func expected(_ json: [String: Any]) throws -> Expected {
        let bundleObjects = try #require(json["bundles"] as? [[String: Any]])
        let bundles = bundleObjects.map { ($0["name"] as? String ?? "", $0["device"] as? String) }
        var want = Expected(bundles: bundles, findings: try #require(json["findings"] as? [[String: Any]]))
        for u in json["unrecognized"] as? [[String: Any]] ?? [] { want.unrecognized[u["bundle"] as? String ?? "", default: []].append(u) }
        want.notDiagnosable = Set(bundleObjects.filter { $0["not_diagnosable"] is String }.compactMap { $0["name"] as? String })
        want.redacted = json["redacted"] as? Bool == true
        return want
    }
    /// Unrecognized-error kinds listed per Mac: in the report of one Mac, in a fleet's.
    static let unrecognizedShown = (oneMac: 10, fleet: 5)

    @Test func reportsOfTheSamplesAndAFleetInChromium() throws {
        let root = try Harness.temporaryDirectory()
        defer { Harness.remove(root) }
        var expected: [String: Expected] = [:]
        var arguments: [String] = []
        for s in Scenario.all() {
            let logs = "Samples/\(s.name)/logs"
            let html = try Harness.run(["scan", "--format", "html"] + s.args + [logs])
            #expect(html.status == s.exit, "\(s.name): \(html.stderr)")
            let page = root.appendingPathComponent("\(s.name).html")
            try html.stdout.write(to: page)
            expected[page.path] = try Self.expected(try Harness.run(["scan", "--format", "json"] + s.args + [logs]).json())
            arguments.append(page.path + (s.name == "multi-log-timeline" ? ":all" : ""))
        }

        // A fleet: archives of several samples, a directory, and a truncated archive.
        let fleet = root.appendingPathComponent("fleet")
        try FileManager.default.createDirectory(at: fleet, withIntermediateDirectories: true)
        let macs = ["compliance-mismatch", "register-previously-enrolled", "mfa-required", "jamf-ssl-trust", "healthy-mac",
                    "multi-log-timeline", "intune-duplicate-entries"]
        for name in macs {
            try FleetTests.zip(Harness.samples.appendingPathComponent(name).appendingPathComponent("logs"),
                               to: fleet.appendingPathComponent("mac-\(name).zip"))
        }
        let good = try Data(contentsOf: fleet.appendingPathComponent("mac-healthy-mac.zip"))
        try good.prefix(good.count / 2).write(to: fleet.appendingPathComponent("mac-broken.zip"))
        let args = ["--tz", "America/Chicago"] + (try FileManager.default.contentsOfDirectory(atPath: fleet.path)).sorted().map { fleet.appendingPathComponent($0).path }
        let fleetHTML = try Harness.run(["scan", "--format", "html"] + args)
        #expect(fleetHTML.status == 2, "the truncated archive is an error")
        let fleetPage = root.appendingPathComponent("fleet.html")
        try fleetHTML.stdout.write(to: fleetPage)
        let fleetJSON = try Harness.run(["scan", "--format", "json"] + args).json()
        expected[fleetPage.path] = try Self.expected(fleetJSON)
        arguments.append(fleetPage.path + ":all")
        // The same fleet redacted, with a Mac that only has unrecognized errors and one that is not
        // diagnosable (a .logarchive): the page says it is redacted and lists both.
        let extra = try RedactionTests.extraMacs(in: root.appendingPathComponent("extra"))
        let redactedArgs = args + extra
        let redactedHTML = try Harness.run(["scan", "--format", "html", "--redact"] + redactedArgs)
        #expect(redactedHTML.status == 2)
        let redactedPage = root.appendingPathComponent("fleet-redacted.html")
        try redactedHTML.stdout.write(to: redactedPage)
        expected[redactedPage.path] = try Self.expected(try Harness.run(["scan", "--format", "json", "--redact"] + redactedArgs).json())
        arguments.append(redactedPage.path)

        try? FileManager.default.removeItem(at: Self.artifacts)
        let seen = try Self.chromium(arguments)
        print("HTML report screenshots: \(Self.artifacts.path) (fleet-light.png, fleet-dark.png, multi-log-timeline-print.png, …)")

        for (path, want) in expected {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let report = try #require(seen[path] as? [String: Any], "\(name) was not checked")
            #expect((report["problems"] as? [String]) == [], "\(name): console errors")
            #expect((report["requests"] as? [String]) == [], "\(name): the page asked for something")
            let shots = try #require(report["shots"] as? [String: String])
            for (_, shot) in shots {
                let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
                #expect(size > 10_000, "\(shot) is a real picture")
            }
            for look in ["light", "nojs", "dark", "print"] {
                guard let facts = report[look] as? [String: Any] else { continue }
                let fleet = want.bundles.count > 1
                try Self.check(facts, against: want, name: "\(name) (\(look))",
                               evidenceShown: fleet ? Self.evidenceShown.fleet : Self.evidenceShown.oneMac,
                               unrecognizedShown: fleet ? Self.unrecognizedShown.fleet : Self.unrecognizedShown.oneMac)
                let scope = facts["scope"] as? [String] ?? []
                #expect(scope.contains { $0.hasPrefix("redacted:") } == want.redacted, "\(name): says whether it is redacted")
            }
            if let light = report["light"] as? [String: Any], let dark = report["dark"] as? [String: Any] {
                #expect(light["background"] as? String == "rgb(255, 255, 255)")
                #expect(dark["background"] as? String != light["background"] as? String, "dark colours follow prefers-color-scheme")
            }
        }
        // The fleet's roll-up: one row per cause, sorted by severity, and the buttons sort it by Macs.
        let fleetFacts = try #require((seen[fleetPage.path] as? [String: Any])?["light"] as? [String: Any])
        let rollUp = try #require(fleetFacts["rollUp"] as? [[String: Any]])
        let causes = Set(expected[fleetPage.path]!.findings.compactMap { $0["cause"] as? String })
        #expect(Set(rollUp.compactMap { $0["cause"] as? String }) == causes)
        let ranks = ["critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0]
        let severities = rollUp.compactMap { ranks[($0["severity"] as? String ?? "").lowercased()] }
        #expect(severities == severities.sorted(by: >), "roll-up sorted by severity")
        let sorted = try #require(fleetFacts["sorted"] as? [String: [Int]])
        #expect(sorted["descending"] == sorted["descending"]!.sorted(by: >))
        #expect(sorted["ascending"] == sorted["ascending"]!.sorted())
        #expect(fleetFacts["sortButtons"] as? Int == 2)
        let noScript = try #require((seen[fleetPage.path] as? [String: Any])?["nojs"] as? [String: Any])
        #expect(noScript["sortButtons"] as? Int == 0, "without JavaScript the table is static")
        #expect((noScript["rollUp"] as? [[String: Any]])?.count == rollUp.count)
        let problems = try #require(fleetFacts["problems"] as? [String])
        #expect(problems.contains { $0.contains("mac-broken.zip") })
        // The redacted page lists the unrecognized errors of the added Mac with its host redacted.
        let redactedFacts = try #require((seen[redactedPage.path] as? [String: Any])?["light"] as? [String: Any])
        let templates = (redactedFacts["macs"] as? [[String: Any]] ?? []).flatMap { ($0["unrecognized"] as? [[String: Any]]) ?? [] }
            .compactMap { $0["template"] as? String }
        #expect(templates.contains { $0.contains("Mailbox sync failed on host-") }, "\(templates)")
        #expect(!templates.contains { $0.contains("zoes-mbp") })
    }

    /// The page's Macs and cause cards against the JSON report.
    static func check(_ facts: [String: Any], against want: Expected, name: String, evidenceShown: Int, unrecognizedShown: Int) throws {
        let macs = try #require(facts["macs"] as? [[String: Any]], "\(name)")
        #expect(macs.count == want.bundles.count, "\(name): one section per Mac")
        #expect((facts["brokenAnchors"] as? [String]) == [], "\(name): every link inside the page leads somewhere")
        for (mac, bundle) in zip(macs, want.bundles) {
            let findings = want.findings.filter { $0["bundle"] as? String == bundle.name }
            let cards = try #require(mac["causes"] as? [[String: Any]])
            #expect(cards.map { $0["id"] as? String ?? "" }.sorted() == findings.map { $0["cause"] as? String ?? "" }.sorted(),
                    "\(name): \(bundle.name)")
            for f in findings {
                guard let card = cards.first(where: { $0["id"] as? String == f["cause"] as? String }) else { continue }
                #expect(card["title"] as? String == f["title"] as? String, "\(name)")
                #expect((card["severity"] as? String)?.lowercased() == f["severity"] as? String, "\(name)")
                let count = f["count"] as? Int ?? 0
                #expect(card["evidence"] as? Int == min(count, evidenceShown), "\(name): evidence lines of \(f["cause"]!)")
                #expect(card["fixSteps"] as? Int == (f["fix"] as? [Any])?.count, "\(name)")
            }
            if let device = bundle.device { #expect((mac["label"] as? String)?.hasPrefix(device) == true, "\(name)") }
            let notDiagnosable = want.notDiagnosable.contains(bundle.name)
            #expect(mac["healthy"] as? Bool == (findings.isEmpty && !notDiagnosable), "\(name): the no-cause note")
            #expect(mac["notDiagnosable"] as? Bool == notDiagnosable, "\(name): \(bundle.name) not diagnosable")
            // The unrecognized errors: the most frequent kinds, with their counts and templates.
            let kinds = want.unrecognized[bundle.name] ?? []
            let rows = mac["unrecognized"] as? [[String: Any]] ?? []
            #expect(rows.count == min(kinds.count, unrecognizedShown), "\(name): unrecognized kinds of \(bundle.name)")
            for (row, kind) in zip(rows, kinds) {
                #expect(row["count"] as? Int == kind["count"] as? Int, "\(name)")
                #expect((kind["template"] as? String).map { t in (row["template"] as? String)?.hasPrefix(String(t.prefix(150))) == true } == true,
                        "\(name): \(row["template"] ?? "") / \(kind["template"] ?? "")")
            }
            let timed = findings.flatMap { ($0["evidence"] as? [[String: Any]]) ?? [] }.contains { $0["time"] is String }
            if timed { #expect(!((mac["marks"] as? [String]) ?? []).isEmpty, "\(name): evidence marks on the picture") }
        }
    }

    /// Runs the checker on `arguments`; returns its report by page path.
    static func chromium(_ arguments: [String]) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Harness.packageRoot.appendingPathComponent("Tests/browser/check_report.py").path, artifacts.path] + arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any],
                                "check_report.py printed: \(String(decoding: data.prefix(500), as: UTF8.self))")
        #expect(p.terminationStatus == 0, "check_report.py: \(json["error"] ?? "failed") (scripts/install-deps installs chromium)")
        return json
    }
}

/// The formats are listed where people look, and the document formats work for `follow` too.
@Suite struct ReportFormatCLITests {
    @Test func helpListsEveryFormat() throws {
        let help = try Harness.run(["scan", "--help"])
        let flat = help.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(flat.contains("(values: text, json, ndjson, csv, html, markdown; default: text)"))
    }

    @Test func markdownOfAFleetHasItsRollUpTable() throws {
        let r = try Harness.run(["scan", "--format", "markdown", "--tz", "America/Chicago",
                                 "Samples/compliance-mismatch/logs", "Samples/healthy-mac/logs"])
        #expect(r.status == 1)
        #expect(r.text.contains("| Severity | Cause | Id | Macs | Which Macs | First step |"))
        #expect(r.text.contains("`compliance-mismatch` | 1 |"))
        #expect(r.text.contains("## Jane’s MacBook Pro: no known cause"))
        #expect(r.text.contains("\n```text\n"))
    }
}
