import Testing
import TestSupport
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

/// A rule file for a test rule set: matches "<id> marker", carries `signals`.
func rule(_ id: String, signals: [String], cause: String? = nil) -> (String, String) {
    ("rules/\(id).yml", """
    id: \(id)
    \(cause.map { "cause: \($0)" } ?? "")
    signals: [\(signals.joined(separator: ", "))]
    pattern: '\(id) marker'
    examples: {match: ['\(id) marker']}
    """)
}

/// A cause file for a test rule set, with its `when` list (YAML lines) if any.
func cause(_ id: String, severity: String = "high", _ when: String, consequenceOf: String? = nil) -> (String, String) {
    ("causes/\(id).yml", "id: \(id)\ntitle: \(id)\nseverity: \(severity)\nsummary: s\nfix: [f]\n"
        + (consequenceOf.map { "consequence_of: [\($0)]\n" } ?? "") + (when.isEmpty ? "" : "when:\n\(when)\n"))
}

/// One rule per signal the test causes use (shared with the live classifier's tests).
let signalRules = [
    rule("checkin", signals: ["checkin"]),
    rule("unreachable", signals: ["jss-unreachable"]),
    rule("tokenfail", signals: ["token-failure"]),
    rule("tokenok", signals: ["token-success"]),
    rule("attempt", signals: ["registration-attempt", "registration-evidence"]),
    rule("devid", signals: ["device-id"]),
    rule("noncompliant", signals: ["device-not-compliant"]),
    rule("graph", signals: ["graph-token-error"]),
    rule("perm", signals: ["permission-evidence"]),
]

/// A rule set with one rule per signal and causes whose conditions use them.
let temporalRules: RuleSet = {
    let set = ruleSet(signalRules + [
        cause("unresponsive", "  - gap: {signal: checkin, min: 24h, coverage: [jamf]}\n  - span: {failure: jss-unreachable, success: checkin, min: 24h}"),
        cause("token", "  - span: {failure: token-failure, success: token-success, min: 24h}"),
        cause("repeated", "  - repeat: {signal: registration-attempt, min: 2, cluster: 10m}"),
        cause("duplicates", "  - distinct: {signal: device-id, capture: device_id, min: 2}"),
        cause("mismatch", "  - together: {all: [device-not-compliant, registration-evidence]}"),
        cause("graph-unknown", "  - together: {all: [graph-token-error], none: [permission-evidence]}"),
        cause("graph-perm", "  - together: {all: [graph-token-error, permission-evidence]}"),
    ])
    return set
}()

func event(_ rule: String, _ hoursFromStart: Double, captures: [String: String] = [:], line: Int = 1) -> Event {
    let index = temporalRules.rules.firstIndex { $0.id == rule }!
    var e = Event(bundle: "b", source: "jamf.log", fileIndex: 0, line: line, ruleIndex: index, rule: rule, text: rule,
                  captures: captures, format: .jamf, time: Instant(seconds: 1_700_000_000 + Int64(hoursFromStart * 3600)))
    e.orderTime = e.time
    return e
}

func causes(_ events: [Event], coverageHours: (Double, Double)? = nil) -> [String] {
    var coverage: [Coverage] = []
    if let (a, b) = coverageHours {
        coverage.append(Coverage(format: .jamf, start: Instant(seconds: 1_700_000_000 + Int64(a * 3600)),
                                 end: Instant(seconds: 1_700_000_000 + Int64(b * 3600)), startEvent: nil, endEvent: nil))
    }
    let sorted = events.enumerated().map { var e = $0.element; e.line = $0.offset + 1; return e }.sorted(by: Event.timelineOrder)
    return Classifier(rules: temporalRules).classify(bundle: "b", events: sorted, coverage: coverage).findings.map(\.cause).sorted()
}

@Suite struct ClassifierTests {
    @Test func checkinGapOfADayIsACauseANightIsNot() {
        let every15 = stride(from: 0.0, through: 10, by: 0.25).map { event("checkin", $0) }
        let after30h = stride(from: 40.0, through: 48, by: 0.25).map { event("checkin", $0) }
        #expect(causes(every15 + after30h, coverageHours: (0, 48)) == ["unresponsive"])
        let after10h = stride(from: 20.0, through: 30, by: 0.25).map { event("checkin", $0) }
        #expect(causes(every15 + after10h, coverageHours: (0, 30)) == [])
    }

    @Test func gapAtTheEndOfCoverageCounts() {
        let beats = stride(from: 0.0, through: 5, by: 0.25).map { event("checkin", $0) }
        #expect(causes(beats, coverageHours: (0, 30)) == ["unresponsive"])
        #expect(causes(beats, coverageHours: (0, 20)) == [])
    }

    @Test func unreachableForADayWithNoCheckinBetween() {
        let fails = stride(from: 0.0, through: 25, by: 1).map { event("unreachable", $0) }
        #expect(causes(fails) == ["unresponsive"])
        #expect(causes(fails + [event("checkin", 12)]) == [])
    }

    @Test func tokenFailuresSpanningADay() {
        #expect(causes([event("tokenfail", 0), event("tokenfail", 13), event("tokenfail", 25)]) == ["token"])
        #expect(causes([event("tokenfail", 0), event("tokenok", 1), event("tokenfail", 25)]) == [])
        #expect(causes([event("tokenfail", 0)]) == [])
        #expect(causes([event("tokenfail", 0), event("tokenfail", 20), event("tokenok", 30)]) == [])
    }

    @Test func registrationAttemptsClusterWithinTenMinutes() {
        // One run: traces 0, 3, 8 minutes apart (a chain) — one attempt.
        #expect(causes([event("attempt", 0), event("attempt", 3.0 / 60), event("attempt", 8.0 / 60)]) == [])
        #expect(causes([event("attempt", 0), event("attempt", 5)]) == ["repeated"])
    }

    @Test func distinctDeviceIDsIgnoreCase() {
        let a = "4E1D8A6B-1234-4C3D-9E8F-A1B2C3D4E5F6"
        #expect(causes([event("devid", 0, captures: ["device_id": a]), event("devid", 1, captures: ["device_id": a.lowercased()])]) == [])
        #expect(causes([event("devid", 0, captures: ["device_id": a]), event("devid", 1, captures: ["device_id": "0" + a.dropFirst()])]) == ["duplicates"])
    }

    @Test func togetherAndNone() {
        #expect(causes([event("noncompliant", 0)]) == [])
        #expect(causes([event("noncompliant", 0), event("attempt", 1)]) == ["mismatch"])
        #expect(causes([event("graph", 0)]) == ["graph-unknown"])
        #expect(causes([event("graph", 0), event("perm", 0)]) == ["graph-perm"])
    }
}

@Suite struct TimelineOrderTests {
    @Test func tiesAndLinesWithoutATime() {
        func e(_ source: String, _ line: Int, _ seconds: Int64?, previous: Instant? = nil) -> Event {
            var x = Event(bundle: "b", source: source, fileIndex: 0, line: line, ruleIndex: 0, rule: "r", text: "",
                          captures: [:], format: .text, time: seconds.map(Instant.init(seconds:)))
            x.orderTime = x.time ?? previous
            return x
        }
        let a1 = e("a.log", 1, 100), a2 = e("a.log", 2, nil, previous: Instant(seconds: 100)), a3 = e("a.log", 3, 200)
        let b1 = e("b.log", 7, 100), b2 = e("b.log", 8, 150)
        let sorted = [b2, a3, b1, a2, a1].sorted(by: Event.timelineOrder).map { "\($0.source):\($0.line)" }
        // Same time: by source then line; a line without a time stays right after its predecessor.
        #expect(sorted == ["a.log:1", "a.log:2", "b.log:7", "b.log:8", "a.log:3"])
    }
}

@Suite struct HostNameTests {
    /// The Mac's name in a jamf.log line sits between the time and the last " jamf[".
    @Test func hostNameFromJamfLines() {
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Thu Feb 21 11:11:41 Jane’s MacBook jamf[8051]: Checking") == "Jane’s MacBook")
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Sat Jun 01 17:09:25 Kevin's MacBook Pro (2) jamf[7448]: x") == "Kevin's MacBook Pro (2)")
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Mon Jan 06 09:00:03 mac-12:34:56 jamf[1]: y") == "mac-12:34:56",
                "the first time is the record's, even when the name looks like one")
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Mon Jan 06 09:00:03 a jamf[1]: z jamf[2]: w") == "a jamf[1]: z")
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Mon Jan 06 09:00:03  jamf[1]: empty name") == nil)
        #expect(BundleAnalyzer.hostName(fromJamfLine: "no time here jamf[1]: z") == nil)
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Mon Jan 06 9:00:03 host jamf[1]: short hour") == nil)
        #expect(BundleAnalyzer.hostName(fromJamfLine: "Tue Oct 08 10:12:40 MacBook Air jamf[9001]: a\nWed Oct 09 10:12:40 Other jamf[1]: b") == "MacBook Air")
    }
}

@Suite struct TrimmingTests {
    /// Device IDs are compared without braces, angle brackets and blanks around them.
    @Test func trimsOnlyTheEnds() {
        func trim(_ s: String) -> String {
            String(s.trimming { $0 == "{" || $0 == "}" || $0 == "<" || $0 == ">" || $0 == " " || $0 == "\t" })
        }
        #expect(trim("{4E1D8A6B-1234}") == "4E1D8A6B-1234")
        #expect(trim(" \t<x y> ") == "x y")
        #expect(trim("{}") == "")
        #expect(trim("") == "")
        #expect(trim("a") == "a")
        #expect(trim("é{") == "é")
        #expect(trim("{a}{b}") == "a}{b")
    }
}
