import Foundation
import Testing

/// Unrecognized errors, `rules new` and consequences, from the command line.
@Suite struct UnrecognizedEndToEndTests {
    /// A Company Portal log in the house grammar with errors no rule knows, and one it does.
    static let portal = """
    2025-08-11 16:27:57:288 | Company Portal | I | 89007856 | Launch | Starting
    2025-08-11 16:27:58:369 | Company Portal | E | 89007862 | Sync | Failed to sync item 17: timeout after 30 s
    2025-08-11 16:28:58:369 | Company Portal | E | 89007862 | Sync | Failed to sync item 18: timeout after 31 s
    2025-08-11 16:29:58:369 | Company Portal | E | *89007863 | Store | Could not open store at /Users/ann/Library/x.db for ann@contoso.com
    2025-08-11 16:30:58:369 | Company Portal | W | 89007862 | Sync | Failed to sync item 19: warning only

    """

    @Test func reportedInEveryFormatAndExitStatusUnchanged() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try Self.portal.write(to: log, atomically: true, encoding: .utf8)

        let text = try Harness.run(["--tz", "UTC", log.path], environment: ["COLUMNS": "200"])
        #expect(text.status == 0)
        let first = text.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("no known cause found, but 3 error lines that no rule explains (2 kinds)"), "\(first)")
        #expect(text.text.contains("Unrecognized errors: 2 kinds"))
        #expect(text.text.contains("×2 error  2025-08-11T16:27:58.369Z → 2025-08-11T16:28:58.369Z"))
        #expect(text.text.contains("Sync | Failed to sync item <num>: timeout after <num> s"))
        #expect(!text.text.contains("warning only"))

        let json = try Harness.run(["--tz", "UTC", "--format", "json", log.path])
        #expect(json.status == 0)
        #expect(try Harness.schemaErrors(json.stdout) == [])
        let kinds = try #require(try json.json()["unrecognized"] as? [[String: Any]])
        #expect(kinds.count == 2)
        #expect(kinds[0]["template"] as? String == "Sync | Failed to sync item <num>: timeout after <num> s")
        #expect(kinds[0]["count"] as? Int == 2)
        #expect(kinds[0]["level"] as? String == "error")
        #expect(kinds[0]["first_seen"] as? String == "2025-08-11T16:27:58.369Z")
        let example = try #require(kinds[0]["example"] as? [String: Any])
        #expect(example["line"] as? Int == 2)
        #expect(example["source"] as? String == log.path)
        #expect((example["text"] as? String)?.hasPrefix("2025-08-11 16:27:58:369 | Company Portal | E |") == true)
        #expect(kinds[1]["template"] as? String == "Store | Could not open store at /Users/ann/Library/x.db for <email>")

        let nd = try Harness.run(["--tz", "UTC", "--format", "ndjson", log.path])
        #expect(nd.status == 0)
        let objects = nd.text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.filter { $0["type"] as? String == "unrecognized" }.count == 2)
    }

    @Test func onlyTheTopKindsUnlessAllAreAskedFor() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("server.log")
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima"]
        let lines = words.enumerated().map { "2024-05-14 09:41:\(10 + $0.offset),512 [ERROR] [Pool-1] [Svc] - \($0.element) subsystem stopped" }
        try (lines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        let some = try Harness.run([log.path])
        #expect(some.text.contains("Unrecognized errors: 12 kinds"))
        #expect(some.text.contains("… 2 more kinds (--all-unrecognized shows every kind)"))
        #expect(!some.text.contains("lima subsystem stopped"))
        let all = try Harness.run(["--all-unrecognized", log.path])
        #expect(all.text.contains("lima subsystem stopped"))
        #expect(!all.text.contains("more kinds"))
    }

    /// `rules new` makes a draft that passes `rules check` and `rules test` as it is, and that
    /// turns the line from an unrecognized error into a known one.
    @Test func ruleDraftFromALineWorksAsItIs() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try Self.portal.write(to: log, atomically: true, encoding: .utf8)
        let draft = try Harness.run(["rules", "new", "--from", "\(log.path):2", "--cause", "register-license-expired"])
        #expect(draft.status == 0, "\(draft.stderr)")
        let id = try #require(draft.text.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) })
        #expect(id == "cp-sync-failed-to-sync-item-timeout")
        #expect(draft.text.contains("cause: register-license-expired"))
        let rules = dir.appendingPathComponent("rules/drafts")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try draft.stdout.write(to: rules.appendingPathComponent("\(id).yml"))
        let check = try Harness.run(["rules", "check", rules.path])
        #expect(check.status == 0, "\(check.text)\(check.stderr)")
        let test = try Harness.run(["rules", "test", rules.path])
        #expect(test.status == 0, "\(test.text)\(test.stderr)")
        #expect(test.text.contains("1 rules, 1 examples: all passed"))
        // The same kind of line with other numbers is now evidence, not unrecognized.
        let scan = try Harness.run(["--format", "json", "--patterns", rules.path, log.path])
        #expect(scan.status == 1)
        let json = try scan.json()
        let evidence = (json["findings"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]] ?? []
        #expect(evidence.compactMap { $0["line"] as? Int } == [2, 3])
        #expect((json["unrecognized"] as? [[String: Any]])?.count == 1)
    }

    @Test func ruleDraftErrors() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try Self.portal.write(to: log, atomically: true, encoding: .utf8)
        #expect(try Harness.run(["rules", "new", "--from", "\(log.path):6"]).status == 2)
        #expect(try Harness.run(["rules", "new", "--from", log.path]).status == 2)
        #expect(try Harness.run(["rules", "new", "--from", "\(log.path):2", "--cause", "no-such-cause"]).status == 2)
        #expect(try Harness.run(["rules", "new", "--from", "\(dir.path)/missing.log:1"]).status == 2)
        // Without --cause: a context rule, still valid.
        let draft = try Harness.run(["rules", "new", "--from", "\(log.path):4"])
        #expect(draft.status == 0)
        #expect(!draft.text.contains("\ncause:"))
        #expect(draft.text.contains("<cause id>"))
    }

    /// A consequence is listed under its root cause in text and carries consequence_of in JSON.
    @Test func consequencesShowUnderTheirRoot() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let patterns = dir.appendingPathComponent("patterns")
        try FileManager.default.createDirectory(at: patterns, withIntermediateDirectories: true)
        try """
        id: enroll-clash
        title: Enrolment failed on an account clash
        severity: high
        summary: The management account clashes with a local account.
        fix: [Rename the account]

        """.write(to: patterns.appendingPathComponent("enroll-clash.yml"), atomically: true, encoding: .utf8)
        try """
        id: enroll-permission-error
        cause: enroll-clash
        pattern: 'An error occurred while enrolling computer: Permission Error'
        examples: {match: ['An error occurred while enrolling computer: Permission Error - x']}

        """.write(to: patterns.appendingPathComponent("enroll-permission-error.yml"), atomically: true, encoding: .utf8)
        // The built-in jamf-ssl-trust cause, made a consequence of the new one.
        // Its own consequence_of line is replaced, so that enroll-clash is the only root it names.
        let builtin = try String(contentsOf: Harness.packageRoot.appendingPathComponent("Patterns/causes/jamf-ssl-trust.yml"), encoding: .utf8)
            .components(separatedBy: "\n").filter { !$0.hasPrefix("consequence_of:") }.joined(separator: "\n")
        try (builtin + "\nconsequence_of: [enroll-clash]\n").write(to: patterns.appendingPathComponent("jamf-ssl-trust.yml"), atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("jamf.log")
        try """
        Wed Feb 01 09:12:03 MacBook Air jamf[335]: The SSL Certificate for https://jss.example.com:8443/ must be trusted for the jamf binary to connect to it.
        Wed Feb 01 09:12:04 MacBook Air jamf[335]: An error occurred while enrolling computer: Permission Error - The user specified does not have permission to perform the action.

        """.write(to: log, atomically: true, encoding: .utf8)
        let check = try Harness.run(["rules", "check", patterns.path])
        #expect(check.status == 0, "\(check.text)\(check.stderr)")

        let json = try Harness.run(["--format", "json", "--patterns", patterns.path, log.path])
        #expect(json.status == 1)
        #expect(try Harness.schemaErrors(json.stdout) == [])
        let findings = try #require(try json.json()["findings"] as? [[String: Any]])
        let byCause = Dictionary(uniqueKeysWithValues: findings.map { ($0["cause"] as! String, $0) })
        #expect(byCause["jamf-ssl-trust"]?["consequence_of"] as? String == "enroll-clash")
        #expect(byCause["enroll-clash"]?["consequence_of"] == nil)

        let text = try Harness.run(["--patterns", patterns.path, log.path]).text
        let root = try #require(text.range(of: "enroll-clash — Enrolment failed"))
        let consequence = try #require(text.range(of: "jamf-ssl-trust — "))
        #expect(root.lowerBound < consequence.lowerBound)
        #expect(text.contains("↳ a consequence of enroll-clash"))

        // A cycle is refused by rules check.
        try (builtin + "\nconsequence_of: [enroll-clash]\n").write(to: patterns.appendingPathComponent("jamf-ssl-trust.yml"), atomically: true, encoding: .utf8)
        try """
        id: enroll-clash
        title: Enrolment failed on an account clash
        severity: high
        summary: s
        fix: [f]
        consequence_of: [jamf-ssl-trust]

        """.write(to: patterns.appendingPathComponent("enroll-clash.yml"), atomically: true, encoding: .utf8)
        let cyclic = try Harness.run(["rules", "check", patterns.path])
        #expect(cyclic.status == 2)
        #expect(cyclic.stderr.contains("goes round in a circle"))
    }
}

/// Lines copied from Console and web pages, and JSON exports, from the command line.
@Suite struct CopiedFormatsEndToEndTests {
    @Test func timeOnlyConsoleRowsSayWhereTheirDateCameFrom() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("console.txt")
        try """
        default 10:04:48.077069 +1100 Jamf Conditional Access posible for silent token acquire to fail now if the wrong account is picked
        error 10:04:49.000000 +1100 Jamf Conditional Access Could not reach the broker service 3 times

        """.write(to: log, atomically: true, encoding: .utf8)
        // The file's date: 2024-03-05 12:00 UTC.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_709_640_000)], ofItemAtPath: log.path)
        let r = try Harness.run(["--format", "json", log.path])
        #expect(r.status == 1)
        #expect(try Harness.schemaErrors(r.stdout) == [])
        let json = try r.json()
        #expect((json["inputs"] as? [[String: Any]])?.first?["format"] as? String == "unified-log")
        let entry = try #require((json["timeline"] as? [[String: Any]])?.first)
        #expect(entry["time"] as? String == "2024-03-04T23:04:48.077069Z")
        #expect(entry["time_basis"] as? String == "date-from-file")
        let kinds = try #require(json["unrecognized"] as? [[String: Any]])
        #expect(kinds.first?["template"] as? String == "Jamf Conditional Access Could not reach the broker service <num> times")
        let text = try Harness.run([log.path], environment: ["COLUMNS": "300"]).text
        #expect(text.contains("Console rows copied without their date were put on the day of their file's modification time"))
    }

    @Test func jsonExportsShowTheEventMessageInText() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("export.ndjson")
        try """
        {"timestamp":"2024-02-06 10:14:03.118204-0500","messageType":"Default","subsystem":"com.jamf.management.jamfAAD","eventMessage":"posible for silent token acquire to fail now if the wrong account is picked"}
        {"timestamp":"2024-02-06 10:14:04.000000-0500","messageType":"Error","subsystem":"com.jamf.management.jamfAAD","eventMessage":"Broker said \\"no\\" for ann@contoso.com"}

        """.write(to: log, atomically: true, encoding: .utf8)
        let text = try Harness.run([log.path], environment: ["COLUMNS": "300"]).text
        #expect(text.contains("\n        posible for silent token acquire to fail now if the wrong account is picked\n"))
        #expect(!text.contains("{\"timestamp\""))
        #expect(text.contains("Broker said \"<*>\" for <email>"))
        let json = try Harness.run(["--format", "json", log.path]).json()
        let evidence = try #require(((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]])?.first)
        #expect((evidence["text"] as? String)?.hasPrefix("{\"timestamp\"") == true)
    }

    @Test func viewerExportAndMSALLinesAreReadWithTheirTimes() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let viewer = dir.appendingPathComponent("viewer.txt"), msal = dir.appendingPathComponent("app.log")
        try "Enrollment\t2025-08-11 16:27:58:369 | E | 89007862 | Enrollment stalled at step 4\n"
            .write(to: viewer, atomically: true, encoding: .utf8)
        try "2024-05-01 10:00:00.123 MSAL 1.2.3 macOS 14.4 [2024-05-01 08:00:00 - 1234ABCD-0000-4000-8000-0000000000AA] [ERROR] broker handshake broke with code 12\n"
            .write(to: msal, atomically: true, encoding: .utf8)
        let json = try Harness.run(["--format", "json", "--tz", "UTC", viewer.path, msal.path]).json()
        let formats = (json["inputs"] as? [[String: Any]])?.compactMap { $0["format"] as? String }
        #expect(formats == ["company-portal", "text"])
        let kinds = try #require(json["unrecognized"] as? [[String: Any]])
        #expect(Set(kinds.compactMap { $0["first_seen"] as? String }) == ["2025-08-11T16:27:58.369Z", "2024-05-01T10:00:00.123Z"])
        #expect(Set(kinds.compactMap { $0["template"] as? String })
                == ["Enrollment stalled at step <num>", "[ERROR] broker handshake broke with code <num>"])
    }
}
