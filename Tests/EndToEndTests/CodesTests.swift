import Foundation
import Testing

/// `explain` with codes, `codes`, and codes explained in reports (issue 17 §1, §3, §4).
@Suite struct CodesTests {
    @Test(arguments: ["-25300", "4294941996", "errSecItemNotFound"])
    func explainOSStatusAsTheLogPrintsIt(typed: String) throws {
        let r = try Harness.run(["explain", typed])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text.hasPrefix("-25300 — errSecItemNotFound\n"), "\(r.text)")
        #expect(r.text.contains("also printed as: 4294941996"))
        #expect(r.text.contains("context, not a cause"))
        #expect(r.text.contains("Source: https://"))
    }

    @Test(arguments: ["AADSTS53003", "53003", "aadsts53003"])
    func explainAADSTSWithOrWithoutPrefix(typed: String) throws {
        let r = try Harness.run(["explain", typed])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text.hasPrefix("AADSTS53003 — BlockedByConditionalAccess\n"), "\(r.text)")
        #expect(r.text.contains("evidence for: conditional-access-blocked"))
        #expect(r.text.contains("How to fix it:"))
    }

    @Test func explainMSALCodeAndName() throws {
        for typed in ["-50002", "MSALErrorInteractionRequired"] {
            let r = try Harness.run(["explain", typed])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.text.hasPrefix("-50002 — MSALErrorInteractionRequired\n"), "\(typed): \(r.text)")
            #expect(r.text.contains("Next step:"))
        }
    }

    @Test func explainCauseIgnoresCaseAndSuggestsOnTypos() throws {
        let upper = try Harness.run(["explain", "Conditional-Access-BLOCKED"])
        #expect(upper.status == 0)
        #expect(upper.text.hasPrefix("conditional-access-blocked — "))
        #expect(upper.text.contains("AADSTS53002"), "catalog codes that are evidence are listed")
        let typo = try Harness.run(["explain", "conditional-acess-blocked"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean conditional-access-blocked?"), "\(typo.stderr)")
        let nothing = try Harness.run(["explain", "-99999999"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("unknown cause or code '-99999999'"), "\(nothing.stderr)")
    }

    @Test func codesListsOneCodeALineAndFilters() throws {
        let all = try Harness.run(["codes"])
        #expect(all.status == 0)
        let lines = all.text.split(separator: "\n")
        #expect(lines.count >= 600)
        #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 5 })
        #expect(lines.contains { $0.hasPrefix("aadsts\tAADSTS53003\tBlockedByConditionalAccess\tcause:conditional-access-blocked\t") })
        let keychain = try Harness.run(["codes", "-25308"])
        #expect(keychain.status == 0)
        #expect(keychain.text.hasPrefix("osstatus\t-25308\terrSecInteractionNotAllowed\tcategory:keychain-access\t"), "\(keychain.text)")
        let words = try Harness.run(["codes", "workplace join", "--catalog", "msal"])
        #expect(words.status == 0)
        #expect(words.text.split(separator: "\n").allSatisfy { $0.hasPrefix("msal\t") })
        #expect(words.text.contains("MSALErrorWorkplaceJoinRequired"))
        let none = try Harness.run(["codes", "no such words anywhere"])
        #expect(none.status == 1 && none.text.isEmpty)
    }

    static let noRuleLine = "2024-03-11 09:30:12:402 | E | TID=5512 MSAL 1.6.1 Mac 15.1 [2024-03-11 08:30:12 - 3F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0C] [MSAL] Server returned error: invalid_grant, description: AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: 1a2b3c4d-0000-4000-8000-00000000abcd Correlation ID: 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c Timestamp: 2024-03-11 08:30:12Z\n"

    /// An AADSTS code no specific rule covers is still explained: a context timeline entry
    /// with its code and meaning, and the IDs of the line, in JSON and in text.
    @Test func aadstsCodeWithoutARuleIsExplained() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try Data(Self.noRuleLine.utf8).write(to: log)
        let json = try Harness.run(["--format", "json", "--tz", "UTC", log.path])
        #expect(json.status == 0, "context only: no cause, \(json.stderr)")
        #expect(try Harness.schemaErrors(json.stdout).isEmpty)
        let doc = try json.json()
        #expect((doc["findings"] as? [Any])?.isEmpty == true)
        let entry = try #require((doc["timeline"] as? [[String: Any]])?.first)
        #expect(entry["rule"] as? String == "aadsts-other-error")
        #expect(entry["cause"] is NSNull)
        let code = try #require((entry["codes"] as? [[String: Any]])?.first)
        #expect(code["code"] as? String == "AADSTS50126")
        #expect(code["name"] as? String == "InvalidUserNameOrPassword")
        #expect((code["meaning"] as? String)?.isEmpty == false)
        #expect(code["category"] as? String == "credentials")
        let captures = try #require(entry["captures"] as? [String: String])
        #expect(captures["correlation_id"]?.lowercased() == "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c")
        #expect(captures["trace_id"] == "1a2b3c4d-0000-4000-8000-00000000abcd")
        #expect(captures["timestamp"] == "2024-03-11 08:30:12Z")

        let text = try Harness.run(["--tz", "UTC", log.path])
        #expect(text.status == 0)
        #expect(text.text.contains("↳ AADSTS50126 InvalidUserNameOrPassword: "), "\(text.text)")
        #expect(text.text.contains("next: "))
        let ndjson = try Harness.run(["--format", "ndjson", "--tz", "UTC", log.path])
        #expect(ndjson.text.contains("\"codes\":[{\"catalog\":\"aadsts\",\"code\":\"AADSTS50126\""))
    }

    /// A code the catalog maps to a cause makes that cause even through a generic rule, and the
    /// evidence shows the IDs that a line cut for width would hide.
    @Test func catalogMappedCodesAreEvidenceWithTheirIds() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        let line = Self.noRuleLine.replacingOccurrences(of: "AADSTS50126: Error validating credentials due to invalid username or password.",
                                                        with: "AADSTS50142: Password change is required due to a Conditional Access policy.")
        let msal = "2024-03-11 09:40:12:402 | E | TID=5512 MSAL 1.6.1 Mac 15.1 [2024-03-11 08:40:12 - 5F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0C] acquireToken failed: Error Domain=MSALErrorDomain Code=-50001 \"(null)\" UserInfo={MSALErrorDescriptionKey=Workplace join is required}\n"
        try Data((line + msal).utf8).write(to: log)
        let json = try Harness.run(["--format", "json", "--tz", "UTC", log.path])
        #expect(json.status == 1)
        let doc = try json.json()
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["cause"] as? String }) == ["conditional-access-blocked", "wpj-certificate-missing"])
        let ca = try #require(findings.first { $0["cause"] as? String == "conditional-access-blocked" })
        let evidence = try #require((ca["evidence"] as? [[String: Any]])?.first)
        #expect((evidence["captures"] as? [String: String])?["trace_id"] == "1a2b3c4d-0000-4000-8000-00000000abcd")
        #expect(((evidence["codes"] as? [[String: Any]])?.first?["cause"] as? String) == "conditional-access-blocked")
        let text = try Harness.run(["--tz", "UTC", log.path])
        #expect(text.text.contains("trace_id=1a2b3c4d-0000-4000-8000-00000000abcd"), "\(text.text)")
        #expect(text.text.contains("↳ msal -50001 MSALErrorWorkplaceJoinRequired: "))
    }

    /// A keychain OSStatus is explained, signed or unsigned, and never makes a cause.
    @Test func keychainOSStatusIsContextOnly() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        let lines = [
            "2024-03-11 09:30:12:402 | E | TID=5512 MSAL 1.6.1 Mac 15.1 [2024-03-11 08:30:12 - 3F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0C] Failed to write item to keychain (status 4294941996)",
            "2024-03-11 09:30:13:402 | E | TID=5512 MSAL 1.6.1 Mac 15.1 [2024-03-11 08:30:13 - 3F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0C] SecItemCopyMatching failed with status -34018",
            "2024-03-11 09:30:14:402 | I | TID=5512 MSAL 1.6.1 Mac 15.1 [2024-03-11 08:30:14 - 3F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0C] Keychain find status: -25300",
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
        let json = try Harness.run(["--format", "json", "--tz", "UTC", log.path])
        #expect(json.status == 0, "\(json.stderr)")
        let doc = try json.json()
        #expect((doc["findings"] as? [Any])?.isEmpty == true)
        let timeline = try #require(doc["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["line"] as? Int } == [1, 2], "the routine find status is not an error")
        let names = timeline.compactMap { (($0["codes"] as? [[String: Any]])?.first?["name"]) as? String }
        #expect(names == ["errSecItemNotFound", "errSecMissingEntitlement"])
        #expect(timeline.allSatisfy { $0["cause"] is NSNull })
    }
}
