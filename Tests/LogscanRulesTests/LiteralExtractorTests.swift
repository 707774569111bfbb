import Testing
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

@Suite struct LiteralExtractorTests {
    @Test(arguments: [
        ("Portal launched without WPJ only arg", ["Portal launched without WPJ only arg"]),
        (#"AADSTS65001(?!\d)"#, ["AADSTS65001"]),
        (#"\bAADSTS(?:65001|650056|90094)(?!\d)"#, ["AADSTS"]),
        (#"(?i)insufficient privileges"#, ["insufficient privileges"]),
        (#"wants to access key ["“”]Microsoft Workplace Join Key["“”]"#, ["Microsoft Workplace Join Key"]),
        (#"(?:JamfAAD|Jamf Conditional Access) wants to access key"#, [" wants to access key"]),
        (#"Enroll return code: [1-9]\d*"#, ["Enroll return code: "]),
        (#"Could not connect to the JSS(?:\.\.\.|…)?"#, ["Could not connect to the JSS"]),
        (#"device id (?<device_id>[0-9A-Fa-f-]{36})"#, ["device id "]),
        (#"(?:Unable to connect to Microsoft Intune|Check your Microsoft Intune Integration)"#, ["Unable to connect to Microsoft Intune", "Check your Microsoft Intune Integration"]),
        (#"Checking for policies triggered by ["“”]recurring check-in["“”]"#, ["Checking for policies triggered by "]),
    ])
    func extracts(pattern: String, expected: [String]) {
        #expect(LiteralExtractor.extract(pattern) == expected)
    }

    @Test(arguments: [
        #"\d+ errors"#,              // literal too short? " errors" is 7: fine — use a truly opaque one below
    ])
    func shortButValid(pattern: String) {
        #expect(LiteralExtractor.extract(pattern) == [" errors"])
    }

    @Test(arguments: [
        #"[A-Z]+\d{3}"#,             // no literal at all
        #"(?:ab|cdefgh)"#,           // one branch too short
        #"x?y?z?w?"#,                // everything optional
        #"(?x) a b c d e"#,          // extended mode: spaces mean nothing
        #"(?:Foo bar baz)?"#,        // optional group
        #"a|bcdefgh"#,               // top-level branch too short
    ])
    func refusesWhatItCannotProve(pattern: String) {
        #expect(LiteralExtractor.extract(pattern) == nil)
    }

    @Test func quantifiedCharacterEndsTheRun() {
        // "abcd+efgh" matches "abcddefgh": "abcd" and "efgh" are each required, "abcdefgh" is not.
        let lits = LiteralExtractor.extract("abcd+efghij")
        #expect(lits == ["efghij"])
    }
}
