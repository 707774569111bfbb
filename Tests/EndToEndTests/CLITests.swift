import Foundation
import LogscanPCRE2
import Testing

/// The stable cause IDs of the contract (causes.md): every one must be explainable.
let contractCauses = [
    "device-unresponsive-checkin", "device-unresponsive-token", "keychain-prompt-app-sign", "register-app-permissions",
    "register-connector-consent", "register-license-expired", "register-not-via-self-service",
    "register-integration-disabled", "register-previously-enrolled", "register-keychain-access", "compliance-mismatch",
    "intune-duplicate-entries", "compliance-policy-device-group", "graph-token-failure", "graph-token-permissions",
    "graph-token-license", "graph-token-ports", "mfa-required", "conditional-access-blocked", "wpj-certificate-missing",
    "connector-secret-invalid", "tenant-not-found", "token-expired-reauth", "msal-duplicate-account",
    "jamf-device-signature-error", "jamf-ssl-trust",
]

let portalLine = "2020-04-27 03:07:12.118\tINFO\tcom.microsoft.ssp.application\tTID=1\tWelcomeViewController.swift: 253 (startLogin()) Portal launched without WPJ only arg while account is under partner management\n"
let healthyPortalLine = "2020-04-27 03:07:10.363\tVERB\tcom.microsoft.ssp.telemetry\tTID=10318\tAriaTelemetryService.swift: 283 (send()) Event sent\n"

@Suite(.serialized) struct CLITests {
    @Test(arguments: contractCauses)
    func explainEveryContractCause(cause: String) throws {
        let r = try Harness.run(["explain", cause])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text.hasPrefix(cause + " — "))
        #expect(r.text.contains("How to fix it:"))
    }

    @Test func explainUnknownCauseIsAnError() throws {
        let r = try Harness.run(["explain", "no-such-cause"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown cause"))
    }

    @Test func rulesCommands() throws {
        let list = try Harness.run(["rules", "list"])
        #expect(list.status == 0)
        for cause in contractCauses { #expect(list.text.contains("cause  \(cause) "), "\(cause) missing from rules list") }
        let check = try Harness.run(["rules", "check"])
        #expect(check.status == 0, "\(check.stderr)")
        let test = try Harness.run(["rules", "test"])
        #expect(test.status == 0, "\(test.text)")
        #expect(test.text.contains("all passed"))
        let export = try Harness.run(["rules", "export"])
        #expect(export.status == 0)
        let ruleCount = list.text.split(separator: "\n").filter { $0.hasPrefix("rule ") }.count
        let exported = export.text.split(separator: "\n").map(String.init)
        #expect(exported.count >= ruleCount)
        // Usable with `rg -P -f`: all the patterns joined into one regex still compile.
        let joined = exported.map { "(?:\($0))" }.joined(separator: "|")
        #expect(throws: Never.self) { _ = try CompiledPattern(joined) }
    }

    /// The repository's own rule folder, named as `Patterns` or `./Patterns`, is checked as a
    /// folder like any other: built-in rules are told apart by where they were loaded from, not by
    /// a path that starts with `Patterns/`.
    @Test func theRuleFolderIsCheckedWhateverItsPathLooksLike() throws {
        let builtIn = try Harness.run(["rules", "list"]).text.split(separator: "\n").filter { $0.hasPrefix("rule ") }.count
        #expect(builtIn > 0)
        for spelling in ["Patterns", "./Patterns", Harness.packageRoot.appendingPathComponent("Patterns").path] {
            let check = try Harness.run(["rules", "check", spelling])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.text.hasPrefix("\(builtIn) rules"), "rules check \(spelling): \(check.text)")
            let test = try Harness.run(["rules", "test", spelling])
            #expect(test.text.hasPrefix("\(builtIn) rules"), "rules test \(spelling): \(test.text)")
        }
    }

    /// A condition's keys, formats, durations and signals are checked: a misspelling is an error
    /// with file and line, never a condition that silently means something else.
    @Test func causeConditionsRejectWhatTheyDoNotKnow() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        try """
        id: my-cause
        title: A test cause
        severity: low
        summary: Only for the test.
        fix: [Nothing to do.]
        when:
          - together: {all: [checkin], windw: 10m}
          - gap: {signal: checkin, min: 24h, coverage: [jamff]}
          - repeat: {signal: checkin, min: 2, cluster: 10 minutes}
          - span: {failure: no-such-signal, success: checkin, min: 24h}
        """.write(to: dir.appendingPathComponent("my-cause.yml"), atomically: true, encoding: .utf8)
        let r = try Harness.run(["rules", "check", dir.path])
        #expect(r.status == 2)
        #expect(r.text.contains("errors found"))
        #expect(r.stderr.contains("unknown key 'windw' in `together`"))
        #expect(r.stderr.contains("my-cause.yml:7 (when)"))
        #expect(r.stderr.contains("unknown format 'jamff' in `coverage`"))
        #expect(r.stderr.contains("my-cause.yml:8 (when)"))
        #expect(r.stderr.contains("'10 minutes' is not a duration for `cluster`"))
        #expect(r.stderr.contains("unknown signal 'no-such-signal'"))
        // The same file is refused by a scan too: a broken rule folder is exit 2.
        let scan = try Harness.run(["scan", "--patterns", dir.path, "Samples/healthy-mac/logs", "--tz", "America/Chicago"])
        #expect(scan.status == 2)
    }

    @Test func badRuleFilesAreReportedWithFileFieldAndCaret() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        try "id: broken-pattern\ncause: mfa-required\npattern: 'abc(def'\nexamples: {match: ['abcdef']}\n"
            .write(to: dir.appendingPathComponent("broken-pattern.yml"), atomically: true, encoding: .utf8)
        try "id: wrong-name\npattern: 'Some long literal'\nexamples: {match: ['Some long literal']}\n"
            .write(to: dir.appendingPathComponent("other-name.yml"), atomically: true, encoding: .utf8)
        try "id: bad-yaml\npattern: [unclosed\n".write(to: dir.appendingPathComponent("bad-yaml.yml"), atomically: true, encoding: .utf8)
        try "id: unknown-cause\ncause: not-a-cause\npattern: 'Some long literal'\nexamples: {match: ['Some long literal']}\n"
            .write(to: dir.appendingPathComponent("unknown-cause.yml"), atomically: true, encoding: .utf8)
        let sub = dir.appendingPathComponent("more")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try "id: wrong-name\npattern: 'Some long literal'\nexamples: {match: ['Some long literal']}\n"
            .write(to: sub.appendingPathComponent("wrong-name.yml"), atomically: true, encoding: .utf8)
        let r = try Harness.run(["rules", "check", dir.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("duplicate rule wrong-name"))
        // Every problem in every file, not just the first.
        #expect(r.stderr.contains("broken-pattern.yml:3 (pattern)"))
        #expect(r.stderr.contains("missing closing parenthesis"))
        #expect(r.stderr.contains("   |        ^ offset 7"))
        #expect(r.stderr.contains("differs from the file name"))
        #expect(r.stderr.contains("bad-yaml.yml"))
        #expect(r.stderr.contains("unknown cause 'not-a-cause'"))
    }

    @Test func builtInRulesTravelWithTheBinary() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let copy = dir.appendingPathComponent("logscan")
        try FileManager.default.copyItem(at: Harness.binary, to: copy)
        let p = Process()
        p.executableURL = copy
        p.arguments = ["rules", "check"]
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text.contains("causes checked: no errors"))
        #expect(Int(text.split(separator: " ").first ?? "") ?? 0 >= 40, "the built-in rules are there: \(text)")
    }

    @Test func ruleTestFailsOnABadExample() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        try "id: strict\ncause: mfa-required\npattern: 'Exact message here'\nexamples: {match: ['Other message here'], no_match: ['Exact message here too']}\n"
            .write(to: dir.appendingPathComponent("strict.yml"), atomically: true, encoding: .utf8)
        let r = try Harness.run(["rules", "test", dir.path])
        #expect(r.status == 1)
        #expect(r.text.contains("FAIL strict: match example does not match"))
        #expect(r.text.contains("FAIL strict: no_match example matches"))
    }

    @Test func exitCodes() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let bad = dir.appendingPathComponent("portal.log"), good = dir.appendingPathComponent("healthy.log")
        try portalLine.write(to: bad, atomically: true, encoding: .utf8)
        try healthyPortalLine.write(to: good, atomically: true, encoding: .utf8)
        #expect(try Harness.run([good.path]).status == 0)
        #expect(try Harness.run([bad.path]).status == 1)
        #expect(try Harness.run(["scan", "--bogus", bad.path]).status == 2)
        #expect(try Harness.run(["--tz", "Mars/Olympus", bad.path]).status == 2)
        #expect(try Harness.run(["--since", "last tuesday", bad.path]).status == 2)
        // A missing input is an error (2 wins over 1), and the other input is still read and reported.
        let r = try Harness.run(["--format", "json", dir.appendingPathComponent("missing.log").path, bad.path])
        #expect(r.status == 2)
        let json = try r.json()
        #expect((json["findings"] as? [[String: Any]])?.count == 1)
        #expect((json["errors"] as? [[String: Any]])?.isEmpty == false)
        #expect(try Harness.schemaErrors(r.stdout) == [])
    }

    @Test func standardInputIsNamedDash() throws {
        let r = try Harness.run(["--format", "json", "-"], stdin: Data((healthyPortalLine + portalLine).utf8))
        #expect(r.status == 1)
        let json = try r.json()
        let evidence = try #require(((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["source"] as? String == "-")
        #expect(evidence["line"] as? Int == 2)
        #expect(evidence["text"] as? String == String(portalLine.dropLast()))
    }

    @Test func ndjsonEndsWithASummaryCarryingTheExitCode() throws {
        let r = try Harness.run(["--format", "ndjson", "-"], stdin: Data(portalLine.utf8))
        let lines = r.text.split(separator: "\n")
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["type"] as? String } == ["input", "event", "finding", "summary"])
        #expect(objects.last?["exit_code"] as? Int == 1)
        #expect(r.status == 1)
    }

    @Test func sinceAndUntilFilterEvidence() throws {
        let r1 = try Harness.run(["--since", "2020-04-28", "-"], stdin: Data(portalLine.utf8))
        #expect(r1.status == 0)
        let r2 = try Harness.run(["--until", "2020-04-27T03:07:12.117Z", "-"], stdin: Data(portalLine.utf8))
        #expect(r2.status == 0)
        // A window that ends before it starts is a usage error (issue 15), not an empty report.
        let r3 = try Harness.run(["--since", "2020-04-27T05:07:00+02:00", "--until", "2020-04-27", "-"], stdin: Data(portalLine.utf8))
        #expect(r3.status == 2)
        let r4 = try Harness.run(["--since", "2020-04-27T05:07:00+02:00", "-"], stdin: Data(portalLine.utf8))
        #expect(r4.status == 1)
    }

    @Test func utf16LogsAreReadAsText() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        for (name, encoding) in [("le.log", String.Encoding.utf16LittleEndian), ("be.log", .utf16BigEndian)] {
            var data = Data(encoding == .utf16LittleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF])
            data.append((healthyPortalLine + portalLine).data(using: encoding)!)
            try data.write(to: dir.appendingPathComponent(name))
            let r = try Harness.run(["--format", "json", dir.appendingPathComponent(name).path])
            #expect(r.status == 1, "\(name)")
            let input = try #require((try r.json()["inputs"] as? [[String: Any]])?.first)
            #expect(input["format"] as? String == "company-portal")
            #expect(input["lines"] as? Int == 2)
        }
    }

    @Test func binaryFilesAreReportedAndSkipped() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        var junk = Data(count: 8192)
        for i in stride(from: 0, to: 8192, by: 5) { junk[i] = UInt8(truncatingIfNeeded: i) }
        try junk.write(to: dir.appendingPathComponent("blob.bin"))
        try portalLine.write(to: dir.appendingPathComponent("portal.log"), atomically: true, encoding: .utf8)
        let r = try Harness.run(["--format", "json", dir.path])
        #expect(r.status == 1)
        let inputs = try #require(try r.json()["inputs"] as? [[String: Any]])
        #expect(inputs.contains { ($0["source"] as? String)?.hasSuffix("blob.bin") == true && $0["format"] as? String == "binary" })
    }

    @Test func theSameFileNamedTwiceIsReadOnce() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try portalLine.write(to: log, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.log").path, withDestinationPath: "portal.log")
        let r = try Harness.run(["--format", "json", "portal.log", "link.log", "portal.log"], directory: dir)
        #expect(r.status == 1)
        let json = try r.json()
        let finding = try #require((json["findings"] as? [[String: Any]])?.first)
        #expect(finding["count"] as? Int == 1)
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["source"] as? String } == ["portal.log", "link.log", "portal.log"])
        #expect(inputs.compactMap { $0["skipped"] as? String } == ["the same file as portal.log, read once", "the same file as portal.log, read once"])
        #expect(try Harness.schemaErrors(r.stdout) == [])
        // The text report counts it; -v names it.
        let text = try Harness.run(["portal.log", "link.log"], directory: dir)
        #expect(text.text.contains("1 input read (company-portal 1), 1 skipped"))
        let verbose = try Harness.run(["-v", "portal.log", "link.log"], directory: dir)
        #expect(verbose.text.contains("skipped link.log: the same file as portal.log, read once"))
    }

    @Test func aLogarchiveIsNotDiagnosableAndSaysHowToExportIt() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let archive = dir.appendingPathComponent("system_logs.logarchive")
        try FileManager.default.createDirectory(at: archive.appendingPathComponent("Persist"), withIntermediateDirectories: true)
        var tracev3 = Data(count: 20_000)
        for i in tracev3.indices { tracev3[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        try tracev3.write(to: archive.appendingPathComponent("Persist/0000000000000001.tracev3"))
        for format in ["text", "json", "ndjson", "csv"] {
            let r = try Harness.run(["--format", format, "system_logs.logarchive"], directory: dir)
            #expect(r.status == 2, "\(format)")
            #expect(r.text.contains("not") && r.text.contains("diagnosable"), "\(format): \(r.text)")
            if format != "csv" { #expect(r.text.contains("log show --archive"), "\(format)") }
        }
        let json = try Harness.run(["--format", "json", "system_logs.logarchive"], directory: dir)
        let bundle = try #require((try json.json()["bundles"] as? [[String: Any]])?.first)
        #expect((bundle["not_diagnosable"] as? String)?.contains("--style ndjson --predicate") == true)
        #expect(try Harness.schemaErrors(json.stdout) == [])
    }
}

/// The text report's layout options and the command-line conveniences of issue 18.
@Suite(.serialized) struct TextReportOptionTests {
    let sample = "Samples/multi-log-timeline/logs"

    @Test func theSummaryComesFirstAndSummaryStopsThere() throws {
        let full = try Harness.run(["scan", "--tz", "America/Chicago", sample])
        let text = full.text
        let summary = try #require(text.range(of: "\nSummary\n"))
        let details = try #require(text.range(of: "\n== Samples/multi-log-timeline/logs"))
        #expect(summary.lowerBound < details.lowerBound)
        // The zone note is at the top, before the summary.
        let note = try #require(text.range(of: "note: times without a zone are read in America/Chicago (--tz)"))
        #expect(note.lowerBound < summary.lowerBound)
        #expect(text.contains("HIGH conditional-access-blocked"))
        #expect(text.contains("fix: In the Entra admin center"))
        let only = try Harness.run(["scan", "--summary", "--tz", "America/Chicago", sample])
        #expect(only.status == 1)
        #expect(only.text.contains("Summary") && !only.text.contains("== Samples") && !only.text.contains("Timeline (UTC)"))
    }

    @Test func timelineOptionsAndInputLines() throws {
        let none = try Harness.run(["scan", "--no-timeline", "--tz", "America/Chicago", sample])
        #expect(!none.text.contains("Timeline (UTC)") && none.text.contains("Fix:"))
        let limited = try Harness.run(["scan", "--timeline-limit", "4", "--tz", "America/Chicago", sample])
        let timeline = try #require(limited.text.components(separatedBy: "Timeline (UTC)").last)
        #expect(timeline.contains("more timeline lines (--timeline-limit"))
        #expect(!limited.text.contains("   read "))
        #expect(limited.text.contains("3 inputs read: company-portal 1, jamf 1, unified-log 1"))
        let verbose = try Harness.run(["scan", "-v", "--tz", "America/Chicago", sample])
        #expect(verbose.text.contains("   read …/log/jamf.log: jamf, 739 lines, 65742 bytes"))
        let bad = try Harness.run(["scan", "--timeline-limit", "-1", sample])
        #expect(bad.status == 2)
    }

    @Test func theWindowIsStatedAtTheTop() throws {
        let r = try Harness.run(["scan", "--since", "2025-03-10", "--tz", "America/Chicago", sample])
        let first = r.text.split(separator: "\n").prefix(4).joined(separator: "\n")
        #expect(first.contains("window: only evidence from 2025-03-10T00:00:00Z counts (--since/--until)"), "\(first)")
    }

    @Test(arguments: [40, 80, 120])
    func textKeepsToTheWidthGivenByColumns(width: Int) throws {
        let r = try Harness.run(["scan", "--no-timeline", "--tz", "America/Chicago", sample], environment: ["COLUMNS": "\(width)"])
        // Wrapped prose and cut log lines keep to the width; only a path or a single word (an
        // application ID) that is longer than the line on its own may overflow.
        for line in r.text.split(separator: "\n") where !line.contains("/") && line.trimmingCharacters(in: .whitespaces).contains(" ") {
            #expect(line.count <= width, "\(line)")
        }
    }

    @Test func aMistypedCommandIsSuggested() throws {
        let r = try Harness.run(["exlpain", "conditional-access-blocked"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean explain?"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let follow = try Harness.run(["folow", "x"])
        #expect(follow.stderr.contains("did you mean follow?"))
        // A file of that name is scanned, not corrected.
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        try "nothing to see\n".write(to: dir.appendingPathComponent("exlpain"), atomically: true, encoding: .utf8)
        let file = try Harness.run(["exlpain"], directory: dir)
        #expect(!file.stderr.contains("did you mean"))
        #expect(file.status == 0)
    }

    /// The completion scripts of all three shells carry the hooks that complete cause ids for
    /// `explain` and zones for `--tz`, and files for PATH; bash's script, sourced in a real bash,
    /// completes them.
    @Test func completionScriptsCompleteCausesZonesAndFiles() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try Harness.run(["--generate-completion-script", shell])
            #expect(r.status == 0, "\(shell): \(r.stderr)")
            #expect(r.text.contains("---completion explain -- positional@0"), "\(shell): no cause-id hook")
            #expect(r.text.contains("---completion scan -- --tz") && r.text.contains("---completion follow -- --tz"), "\(shell): no zone hook")
            let files = ["bash": "__logscan_add_completions -f", "zsh": "'*:PATH:_files'",
                         "fish": "__logscan_should_offer_completions_for_positional \"logscan scan\" -ge 1' -F"][shell]!
            #expect(r.text.contains(files), "\(shell): PATH does not complete files")
        }
        // The hooks themselves: the shell hands over the words and the cursor.
        let causes = try Harness.run(["---completion", "explain", "--", "positional@0", "2", "0", "logscan", "explain", ""])
        #expect(causes.text.split(separator: "\n").contains("conditional-access-blocked"), "\(causes.text)\(causes.stderr)")
        let zones = try Harness.run(["---completion", "scan", "--", "--tz", "3", "0", "logscan", "scan", "--tz", ""])
        #expect(zones.text.split(separator: "\n").contains("America/Chicago"), "\(zones.stderr)")
        // bash, as it completes `logscan explain cond<Tab>` and `logscan scan --tz America/Chi<Tab>`.
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let script = dir.appendingPathComponent("logscan.bash")
        try Harness.run(["--generate-completion-script", "bash"]).stdout.write(to: script)
        func complete(_ words: [String]) throws -> [String] {
            let bin = Harness.binary.path
            let line = ([bin] + words).joined(separator: " ")
            let quoted = ([bin] + words).map { "'\($0)'" }.joined(separator: " ")
            let prev = words.count > 1 ? words[words.count - 2] : bin
            let program = "source '\(script.path)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count); COMP_LINE='\(line)'; "
                + "COMP_POINT=${#COMP_LINE}; _logscan '\(bin)' '\(words.last!)' '\(prev)'; printf '%s\\n' \"${COMPREPLY[@]}\""
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", program]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(try complete(["explain", "conditional-a"]) == ["conditional-access-blocked"])
        #expect(Set(try complete(["scan", "--tz", "America/Chi"])) == ["America/Chicago", "America/Chihuahua"])
    }

    /// What swift-argument-parser's `generate-manual` plugin reads to write the man page: the
    /// command definitions, with every command and option.
    @Test func theManualIsMadeFromTheCommandDefinitions() throws {
        let r = try Harness.run(["--experimental-dump-help"])
        #expect(r.status == 0)
        let dump = try #require(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let command = try #require(dump["command"] as? [String: Any])
        #expect(command["commandName"] as? String == "logscan")
        let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
        for name in ["scan", "follow", "rules", "explain", "codes", "collect"] { #expect(subcommands.contains(name), "\(name)") }
        #expect(r.text.contains("\"redact-salt\"") && r.text.contains("\"timeline-limit\"") && r.text.contains("\"all-unrecognized\""))
    }

    @Test func versionIsACommandToo() throws {
        let a = try Harness.run(["version"]), b = try Harness.run(["--version"])
        #expect(a.status == 0 && a.text == b.text && !a.text.isEmpty)
    }
}
