import Foundation
import Testing

/// `logscan collect` end to end on Linux: a fake Mac tree under `--root` made by each test,
/// and (live mode) a stand-in `log` first on PATH answering the predicates with ndjson exports.
@Suite(.serialized) struct CollectTests {
    static let fakeLogDirectory = Harness.fixtures.appendingPathComponent("collect")

    /// A Mac's tree: jamf.log (local time, Chicago) under private/var with the `var` link a Mac
    /// has, ann's Company Portal log, files collect must not read, and a planted link.
    static func makeMac(in dir: URL, zoneLink: Bool = true) throws -> URL {
        let root = dir.appendingPathComponent("Macintosh HD")
        let fm = FileManager.default
        let sample = Harness.samples.appendingPathComponent("multi-log-timeline/logs")
        func mkdir(_ p: String) throws { try fm.createDirectory(at: root.appendingPathComponent(p), withIntermediateDirectories: true) }
        try mkdir("private/var/log")
        try mkdir("private/etc")
        try mkdir("Users/ann/Library/Logs/Company Portal")
        try mkdir("Users/ann/Library/Keychains")
        try mkdir("Users/ann/Library/Preferences")
        try mkdir("Users/Shared")
        try mkdir("System/Library/CoreServices")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("var").path, withDestinationPath: "private/var")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc").path, withDestinationPath: "private/etc")
        if zoneLink {
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("private/etc/localtime").path,
                                      withDestinationPath: "/var/db/timezone/zoneinfo/America/Chicago")
        }
        try fm.copyItem(at: sample.appendingPathComponent("var/log/jamf.log"), to: root.appendingPathComponent("private/var/log/jamf.log"))
        try Data("Sat Mar 01 00:00:01 Ann’s iMac jamf[1]: old rotation\n".utf8)
            .write(to: root.appendingPathComponent("private/var/log/jamf.log.0"))
        try Data("not a jamf log\n".utf8).write(to: root.appendingPathComponent("private/var/log/system.log"))
        let portal = "com.microsoft.CompanyPortalMac 2025-03-10--15-02-05-504.log"
        try fm.copyItem(at: sample.appendingPathComponent("Users/ann/Library/Logs/Company Portal/\(portal)"),
                        to: root.appendingPathComponent("Users/ann/Library/Logs/Company Portal/\(portal)"))
        try Data("secret".utf8).write(to: root.appendingPathComponent("Users/ann/Library/Keychains/login.keychain-db"))
        // A link planted in a log folder must not be followed (collect runs as root).
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("Users/ann/Library/Logs/Company Portal/evil.log").path,
                                  withDestinationPath: root.appendingPathComponent("Users/ann/Library/Keychains/login.keychain-db").path)
        let version = try PropertyListSerialization.data(fromPropertyList: ["ProductName": "macOS", "ProductVersion": "15.3.1", "ProductBuildVersion": "24D70"],
                                                          format: .xml, options: 0)
        try version.write(to: root.appendingPathComponent("System/Library/CoreServices/SystemVersion.plist"))
        let cpInfo = root.appendingPathComponent("Applications/Company Portal.app/Contents")
        try fm.createDirectory(at: cpInfo, withIntermediateDirectories: true)
        try PropertyListSerialization.data(fromPropertyList: ["CFBundleShortVersionString": "5.2501.0", "CFBundleVersion": "5.2501.0.14"],
                                           format: .binary, options: 0).write(to: cpInfo.appendingPathComponent("Info.plist"))
        return root
    }

    static func zipNames(_ zip: URL) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["unzip", "-Z1", zip.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "unzip could not list \(zip.path)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    static func zipMember(_ zip: URL, _ name: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["unzip", "-p", zip.path, name]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    static func manifest(_ data: Data) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// PATH with the stand-in `log` first.
    static var fakeLogPath: String { fakeLogDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") }

    @Test func rootCollectionZipsExactlyTheSourcesUnderTheirPaths() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let root = try Self.makeMac(in: dir)
        let zip = dir.appendingPathComponent("mac.zip")
        let r = try Harness.run(["collect", "--root", root.path, "--output", zip.path], environment: ["PATH": Self.fakeLogPath])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text == zip.path + "\n")
        let names = try Self.zipNames(zip)
        #expect(names == [
            "Users/ann/Library/Logs/Company Portal/com.microsoft.CompanyPortalMac 2025-03-10--15-02-05-504.log",
            "logscan-manifest.json", "var/log/jamf.log", "var/log/jamf.log.0",
        ])
        let m = try Self.manifest(Self.zipMember(zip, "logscan-manifest.json"))
        #expect(m["schema"] as? String == "logscan-collect/1")
        #expect(m["time_zone"] as? String == "America/Chicago")
        #expect(m["live"] as? Bool == false)
        #expect(m["users"] as? [String] == ["ann"])
        #expect((m["os"] as? [String: Any])?["version"] as? String == "15.3.1")
        #expect((m["versions"] as? [String: String])?["Company Portal"] == "5.2501.0 (5.2501.0.14)")
        let collected = try #require(m["collected"] as? [[String: Any]])
        let jamf = try #require(collected.first { $0["path"] as? String == "var/log/jamf.log" })
        #expect(jamf["bytes"] as? Int == 65742)
        #expect(jamf["source"] as? String == "jamf-log")
        let missing = try #require(m["missing"] as? [[String: Any]])
        #expect(missing.contains { $0["path"] as? String == "Users/ann/Library/Logs/Company Portal/evil.log"
            && ($0["reason"] as? String)?.contains("symbolic link") == true })
        #expect(missing.contains { $0["source"] as? String == "jamfaad-state" && $0["reason"] as? String == "not found" })
        // Another volume's unified log cannot be read: the stand-in `log` is never asked.
        let exports = try #require(m["unified_log"] as? [[String: Any]])
        #expect(exports.count == 3)
        #expect(exports.allSatisfy { ($0["status"] as? String)?.hasPrefix("skipped: --root") == true })
    }

    @Test func scanOfTheZipUsesTheMacsZoneFromTheManifest() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let zip = dir.appendingPathComponent("mac.zip")
        let c = try Harness.run(["collect", "--root", Self.makeMac(in: dir).path, "--output", zip.path])
        #expect(c.status == 0, "\(c.stderr)")
        // Scanned where this machine's zone is UTC: the manifest's Chicago must win.
        let r = try Harness.run(["scan", "--format", "json", zip.path], environment: ["TZ": "UTC"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try r.json()
        let timeline = try #require(doc["timeline"] as? [[String: Any]])
        let first = try #require(timeline.first { ($0["source"] as? String)?.hasSuffix("var/log/jamf.log") == true })
        // Sat Mar 08 00:03:10 in Chicago (CST, -06:00).
        #expect(first["time"] as? String == "2025-03-08T06:03:10Z")
        #expect(first["time_basis"] as? String == "tz-option")
        #expect(try Harness.schemaErrors(r.stdout).isEmpty)
        // The manifest is metadata, not a log input.
        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(!inputs.contains { ($0["source"] as? String)?.hasSuffix("logscan-manifest.json") == true })
        // Wide enough that the note is on one line (the text report wraps to $COLUMNS, else 80).
        let text = try Harness.run(["scan", zip.path], environment: ["TZ": "UTC", "COLUMNS": "200"])
        #expect(text.text.contains("times without a zone are read in America/Chicago (the Mac's zone, from logscan-manifest.json)"))
        #expect(text.text.contains("(Mac: Ann’s iMac)"))
        // --tz still wins over the manifest.
        let tz = try Harness.run(["scan", "--format", "json", "--tz", "Europe/Berlin", zip.path])
        let tzTimeline = try #require(try tz.json()["timeline"] as? [[String: Any]])
        #expect(tzTimeline.first { ($0["source"] as? String)?.hasSuffix("var/log/jamf.log") == true }?["time"] as? String == "2025-03-07T23:03:10Z")
    }

    @Test func liveCollectionRunsLogShowWithThePredicates() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let args = dir.appendingPathComponent("log-args")
        let zip = dir.appendingPathComponent("live.zip")
        let r = try Harness.run(["collect", "--days", "3", "--output", zip.path],
                                environment: ["PATH": Self.fakeLogPath, "FAKE_LOG_ARGS": args.path])
        #expect(r.status == 0, "\(r.stderr)")
        let calls = try String(contentsOf: args, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.hasPrefix("show --style ndjson --info --debug --last 3d --predicate ") })
        #expect(calls.contains { $0.contains(#"subsystem == "com.jamf.management.jamfAAD""#) })
        #expect(calls.contains { $0.contains(#"subsystem BEGINSWITH "com.apple.AppSSO""#) })
        #expect(calls.contains { $0.contains(#"com.microsoft.CompanyPortalMac"#) })
        let names = try Self.zipNames(zip)
        #expect(names.contains("logscan/log-show/jamfAAD.ndjson"))
        #expect(names.contains("logscan/log-show/AppSSO.ndjson"))
        // No events for Company Portal: no empty file, a status instead.
        #expect(!names.contains("logscan/log-show/CompanyPortal.ndjson"))
        let m = try Self.manifest(Self.zipMember(zip, "logscan-manifest.json"))
        #expect(m["live"] as? Bool == true)
        let exports = try #require(m["unified_log"] as? [[String: Any]])
        #expect(exports.first { $0["source"] as? String == "log-show-company-portal" }?["status"] as? String == "ok: no matching events in the last 3 days")
        #expect(exports.first { $0["source"] as? String == "log-show-jamfaad" }?["status"] as? String == "ok")
        // The exports are diagnosed like any log show export.
        let scan = try Harness.run(["scan", "--format", "json", zip.path])
        #expect(scan.status == 1, "\(scan.stderr)")
        let findings = try #require(try scan.json()["findings"] as? [[String: Any]])
        #expect(findings.map { $0["cause"] as? String } == ["conditional-access-blocked"])
    }

    @Test func withoutALogCommandTheUnifiedLogIsSkippedWithANote() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let out = dir.appendingPathComponent("out")
        // A PATH with no `log` on it (Linux has none).
        let r = try Harness.run(["collect", "--output", out.path], environment: ["PATH": dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("skipped: no log command on this system"))
        let m = try Self.manifest(Data(contentsOf: out.appendingPathComponent("logscan-manifest.json")))
        let exports = try #require(m["unified_log"] as? [[String: Any]])
        #expect(exports.allSatisfy { ($0["status"] as? String)?.hasPrefix("skipped: no log command") == true })
    }

    @Test func collectScanDiagnosesRightAway() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let root = try Self.makeMac(in: dir)
        // ann's jamfAAD state: no Entra ID (a binary plist, as macOS writes it).
        let state = try PropertyListSerialization.data(fromPropertyList: ["have_an_Azure_id": 0, "last_aad_token_timestamp": 1741619000],
                                                        format: .binary, options: 0)
        try state.write(to: root.appendingPathComponent("Users/ann/Library/Preferences/com.jamf.management.jamfAAD.plist"))
        let out = dir.appendingPathComponent("collected")
        let r = try Harness.run(["collect", "--root", root.path, "--output", out.path, "--scan", "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let doc = try r.json()
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(findings.map { $0["cause"] as? String } == ["jamfaad-no-entra-id"])
        let evidence = try #require((findings.first?["evidence"] as? [[String: Any]])?.first)
        #expect((evidence["source"] as? String)?.hasSuffix("Users/ann/Library/Preferences/com.jamf.management.jamfAAD.plist") == true)
        #expect((evidence["text"] as? String)?.hasSuffix("plist com.jamf.management.jamfAAD have_an_Azure_id=0") == true
            || (evidence["text"] as? String)?.hasSuffix("plist com.jamf.management.jamfAAD have_an_Azure_id=false") == true)
        // The token time is on the timeline at its own time.
        let timeline = try #require(doc["timeline"] as? [[String: Any]])
        let token = try #require(timeline.first { $0["rule"] as? String == "plist-jamfaad-last-token" })
        #expect(token["time"] as? String == "2025-03-10T15:03:20Z")
        #expect(try Harness.schemaErrors(r.stdout).isEmpty)
        // A directory output holds the same layout.
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("var/log/jamf.log").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(CollectTests.manifestName).path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("Users/ann/Library/Keychains").path))
    }

    static let manifestName = "logscan-manifest.json"

    @Test func listNamesEveryPathAndPredicate() throws {
        let r = try Harness.run(["collect", "--list"])
        #expect(r.status == 0)
        for expected in ["var/log/jamf.log", "Users/<user>/Library/Logs/Company Portal/",
                         "Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension",
                         "Library/Logs/Microsoft/Intune", "com.jamf.management.jamfAAD.plist", "com.microsoft.CompanyPortalMac.plist",
                         "com.jamfsoftware.jamf.plist", "SystemVersion.plist", #"subsystem == "com.jamf.management.jamfAAD""#,
                         #"subsystem BEGINSWITH "com.apple.AppSSO""#, "no keychains"] {
            #expect(r.text.contains(expected), "\(expected) missing from collect --list")
        }
    }

    @Test func refusesToOverwriteAndRejectsBadArguments() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let zip = dir.appendingPathComponent("x.zip")
        try Data("keep".utf8).write(to: zip)
        let r = try Harness.run(["collect", "--root", dir.path, "--output", zip.path])
        #expect(r.status == 2)
        #expect(try String(contentsOf: zip, encoding: .utf8) == "keep")
        #expect(try Harness.run(["collect", "--user", "ann", "--all-users"]).status == 2)
        #expect(try Harness.run(["collect", "--root", dir.appendingPathComponent("none").path]).status == 2)
    }

    // MARK: - --ea

    /// Runs `collect --ea` with its temporary files under a directory of the test's own.
    func ea(_ arguments: [String], environment: [String: String] = [:], in dir: URL) throws -> (Harness.Result, TimeInterval) {
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        var env = environment
        env["TMPDIR"] = tmp.path + "/"
        let start = Date()
        // A generous budget unless the test sets one: this host may be busy, and a run cut by
        // its budget would say not-diagnosable.
        let budget = arguments.contains("--time-budget") ? [] : ["--time-budget", "300"]
        let r = try Harness.run(["collect", "--ea"] + budget + arguments, stdin: Data("y\ny\n".utf8), environment: env)
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.status == 0)
        #expect(r.text.hasPrefix("<result>") && r.text.hasSuffix("</result>\n"), "\(r.text)")
        #expect(r.text.split(separator: "\n").count == 1, "\(r.text)")
        // The temporary collection is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
        return (r, elapsed)
    }

    @Test func eaReportsCausesHealthyAndNotDiagnosable() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let root = try Self.makeMac(in: dir)
        let (healthy, _) = try ea(["--root", root.path], in: dir)
        #expect(healthy.text == "<result>healthy</result>\n")

        // The live Mac, whose jamfAAD export holds AADSTS53003.
        let (live, _) = try ea([], environment: ["PATH": Self.fakeLogPath], in: dir)
        #expect(live.text == "<result>conditional-access-blocked</result>\n")

        // Two causes: by severity (high before medium).
        let jamfPlist = try PropertyListSerialization.data(fromPropertyList: ["microsoftCAEnabled": false], format: .xml, options: 0)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Library/Preferences"), withIntermediateDirectories: true)
        try jamfPlist.write(to: root.appendingPathComponent("Library/Preferences/com.jamfsoftware.jamf.plist"))
        let aad = try PropertyListSerialization.data(fromPropertyList: ["have_an_Azure_id": false], format: .xml, options: 0)
        try aad.write(to: root.appendingPathComponent("Users/ann/Library/Preferences/com.jamf.management.jamfAAD.plist"))
        let (two, _) = try ea(["--root", root.path], in: dir)
        #expect(two.text == "<result>jamfaad-no-entra-id,jamf-ca-flag-disabled</result>\n")

        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let (none, _) = try ea(["--root", empty.path], in: dir)
        #expect(none.text.hasPrefix("<result>not-diagnosable: none of the logs logscan reads were found"))
    }

    @Test func eaExitsZeroOnBadArguments() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let (r, _) = try ea(["--root", dir.appendingPathComponent("missing").path], in: dir)
        #expect(r.text.hasPrefix("<result>not-diagnosable: "))
        #expect(r.text.contains("is not a directory"))
        let (days, _) = try ea(["--days", "0"], in: dir)
        #expect(days.text.hasPrefix("<result>not-diagnosable: "))
    }

    @Test func eaKeepsItsTimeBudgetWhenLogShowHangs() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        // Live mode, and every `log show` hangs for a minute: the run must end near its budget.
        let (r, elapsed) = try ea(["--time-budget", "4"], environment: ["PATH": Self.fakeLogPath, "FAKE_LOG_SLEEP": "60"], in: dir)
        #expect(elapsed < 15, "took \(elapsed) s")
        #expect(r.text.hasPrefix("<result>"))
    }
}
