import Foundation
import Testing
import TestSupport
import LogscanPCRE2
import LogscanInput
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

private let oneRule = CompiledRules(ruleSet([
    ("rules/sig.yml", """
    id: sig
    cause: known
    pattern: 'Device Signature Error - A valid device signature is required'
    examples: {match: ['Device Signature Error - A valid device signature is required']}
    """),
    ("causes/known.yml", "id: known\ntitle: known\nseverity: high\nsummary: s\nfix: [f]\n"),
]))

private func template(_ s: String) -> String { MessageTemplate(message: s).text }

@Suite struct TemplateTests {
    @Test func variablePartsAreMasked() {
        #expect(template("Permission denied for ann@contoso.com on 0x7ff3a at 10:04:48.077")
                == "Permission denied for <email> on <hex> at <num>")
        #expect(template("device 4E1D8A6B-1C2D-4E5F-8A9B-0C1D2E3F4A5B not found (404)") == "device <guid> not found (<num>)")
        #expect(template(#"unable to install "Foo 1.2.pkg" from https://cdn.example.com/a.pkg."#)
                == #"unable to install "<*>" from <url>."#)
        #expect(template("policy “Register with Intune” failed") == "policy “<*>” failed")
        #expect(template("token 3f2a9c0b7d1e4f5a6b8c9d0e1f2a3b4c rejected") == "token <hex> rejected")
    }

    @Test func codesThatTellFailuresApartAreKept() {
        #expect(template("AADSTS50076: MFA needed, code 42") == "AADSTS50076: MFA needed, code <num>")
        #expect(template("Error Domain=MSALErrorDomain Code=-50000 UserInfo") == "Error Domain=MSALErrorDomain Code=-50000 UserInfo")
        #expect(template("failed to read keychain: -25300.") == "failed to read keychain: -25300.")
        // An apostrophe is not a quote.
        #expect(template("Ann's Mac can't reach 'server one'") == "Ann's Mac can't reach '<*>'")
    }

    @Test func patternMatchesTheMessageItCameFrom() throws {
        for message in ["Permission denied for ann@contoso.com on 0x7ff3a at 10:04:48.077",
                        #"unable to install "Foo (1).pkg" from https://cdn.example.com/a?b=1 [x]"#,
                        "device 4E1D8A6B-1C2D-4E5F-8A9B-0C1D2E3F4A5B code -25300 + $5 * 3 | {y}"] {
            let p = try CompiledPattern(MessageTemplate(message: message).pattern)
            let other = message.replacingOccurrences(of: "ann", with: "bob").replacingOccurrences(of: "4E1D", with: "9F9F")
                .replacingOccurrences(of: "Foo (1)", with: "Bar").replacingOccurrences(of: "77", with: "12")
            for subject in [message, other] {
                let bytes = Array(subject.utf8)
                let hit = try bytes.withUnsafeBytes { try Matcher().matches(p, in: $0) }
                #expect(hit, "\(MessageTemplate(message: message).pattern) on \(subject)")
            }
        }
    }
}

@Suite struct ErrorLevelTests {
    func level(_ shape: LogShape, _ line: String) -> String? {
        Array(line.utf8).withUnsafeBytes { ErrorLevel.level(shape: shape, line: $0) }
    }

    @Test func levelsPerFormat() {
        #expect(level(.unifiedDefault, "2024-02-06 10:14:03.118204-0500 0x3c1f2    Error       0x0                  2211   0    JamfAAD: [com.jamf:default] x") == "error")
        #expect(level(.unifiedDefault, "2024-02-06 10:14:03.118204-0500 0x3c1f2    Fault       0x0                  2211   0    JamfAAD: x") == "fault")
        #expect(level(.unifiedDefault, "2024-02-06 10:14:03.118204-0500 0x3c1f2    Default     0x0                  2211   0    JamfAAD: Error x") == nil)
        #expect(level(.unifiedNDJSON, #"{"timestamp":"2024-02-06 10:14:03.118204-0500","messageType":"Error","eventMessage":"x"}"#) == "error")
        #expect(level(.unifiedNDJSON, #"{"timestamp":"2024-02-06 10:14:03.118204-0500","messageType":"Default","eventMessage":"Error"}"#) == nil)
        #expect(level(.companyPortalLegacy, "2020-04-27 03:07:12.118\tERROR\tcom.microsoft.ssp.application\tTID=1\tA.swift: 2 (f()) x") == "error")
        #expect(level(.houseGrammar, "2025-08-11 16:27:58:369 | IntuneMDM-Daemon | E | 89007862 | Comp | Failed") == "error")
        #expect(level(.houseGrammar, "2025-08-11 16:27:58:369 | IntuneMDM-Daemon | W | 89007862 | Comp | Error x") == nil)
        #expect(level(.jamfServer, "2024-05-14 09:41:07,512 [ERROR] [eralPool-17] [Svc] - x") == "error")
        #expect(level(.jamf, "Wed Feb 01 09:12:03 Mac jamf[335]: Installation failed.") == "error")
        #expect(level(.jamf, "Wed Feb 01 09:12:03 Mac jamf[335]: There were 2 errors") == "error")
        #expect(level(.jamf, "Wed Feb 01 09:12:03 Mac jamf[335]: Removing failedInstalls cache") == nil)
        #expect(level(.jamf, "Wed Feb 01 09:12:03 Mac jamf[335]: Checking for policies") == nil)
        #expect(level(.msal, "2024-05-01 10:00:00.123 MSAL 1.2.3 macOS 14.4 [2024-05-01 08:00:00 - x] [Error] broke") == "error")
        #expect(level(.text, "2024-05-01 10:00:00 [INFO] error handling finished") == nil)
    }

    /// Every level literal is as long as the prefilter needs to keep its probe stride (8 bytes,
    /// 7 for jamf.log), and each exact level test's positive examples hold one of them.
    @Test func literalsKeepTheStride() {
        for format in LogFormat.allCases {
            for lit in ErrorLevel.literals(for: format) {
                #expect(lit.utf8.count >= (format == .jamf ? 7 : 8), "\(format): \(lit)")
            }
        }
    }
}

@Suite struct UnrecognizedScanTests {
    @Test func unmatchedErrorLinesAreGroupedAndMatchedOnesAreNot() {
        let log = """
        Wed Feb 01 09:12:01 Mac jamf[335]: Checking for policies triggered by "recurring check-in"
        Wed Feb 01 09:12:03 Mac jamf[335]: Error: unable to install "A.pkg" from https://x.example/a
        Wed Feb 01 09:13:03 Mac jamf[335]: Error: unable to install "B.pkg" from https://x.example/b
        Wed Feb 01 09:14:03 Mac jamf[335]: Device Signature Error - A valid device signature is required
        Wed Feb 01 09:15:03 Mac jamf[335]: Permission denied for ann@contoso.com

        """
        let (hits, scanner) = scan(log, shape: .jamf, rules: oneRule)
        #expect(hits.map(\.line) == [4])
        let kinds = scanner.unrecognized.sorted()
        #expect(kinds.map(\.template.text) == [#"Error: unable to install "<*>" from <url>"#, "Permission denied for <email>"])
        #expect(kinds.map(\.count) == [2, 1])
        #expect(kinds[0].exampleLine == 2)
        #expect(kinds[0].firstWritten?.local.minute == 12 && kinds[0].lastWritten?.local.minute == 13)
    }

    /// A record is explained when any of its lines is: the jamf binary's "There was an error."
    /// opens a block whose indented line is the signature.
    @Test func aRecordWithAKnownLineIsExplained() {
        let log = """
        Wed Feb 01 09:12:03 Mac jamf[335]: Running policy
        There was an error.

            Device Signature Error - A valid device signature is required
        Wed Feb 01 09:13:03 Mac jamf[335]: Running policy
        There was an error.

            Something else broke

        """
        let (hits, scanner) = scan(log, shape: .jamf, rules: oneRule)
        #expect(hits.map(\.line) == [4])
        #expect(scanner.unrecognized.kinds.map(\.template.text) == ["There was an error."])
        #expect(scanner.unrecognized.kinds.map(\.exampleLine) == [6])
        #expect(scanner.unrecognized.kinds.first?.firstWritten?.local.minute == 13)
    }

    @Test func withoutPrefilterTheSameLinesAreFound() {
        var lines: [String] = []
        for i in 0..<300 {
            lines.append("2025-08-11 16:27:58:\(100 + i % 900) | IntuneMDM-Daemon | \(i % 3 == 0 ? "E" : "I") | 8900\(i) | Comp | Step \(i % 7) failed for item \(i)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let fast = scan(text, shape: .houseGrammar, format: .intuneAgent, rules: oneRule).scanner.unrecognized
        let slow = scan(text, shape: .houseGrammar, format: .intuneAgent,
                        rules: CompiledRules(oneRule.ruleSet, prefilter: false)).scanner.unrecognized
        #expect(fast.lineCount == 100)
        #expect(slow.lineCount == fast.lineCount)
        #expect(fast.sorted().map(\.template.text) == slow.sorted().map(\.template.text))
        #expect(fast.sorted().map(\.template.text) == ["Comp | Step <num> failed for item <num>"])
    }

    /// The scanner keeps templates by the bytes of the message part; the kinds it gathers must
    /// be those of masking every line afresh, also when more messages come than it keeps.
    @Test func cachedTemplatesGiveTheKindsOfMaskingEveryLine() {
        var lines: [String] = []
        for i in 0..<900 {
            // 300 messages that differ in a word (each its own cache entry), every one three times,
            // and a repeated one with numbers that masking turns into <num>.
            lines.append("Wed Feb 01 09:\(10 + i % 50):03 Mac jamf[\(i)]: Error: policy w\(i % 300)x failed for item \(i % 300)")
            if i % 4 == 0 { lines.append("Wed Feb 01 09:12:03 Mac jamf[1]: There was an error.") }
            if i % 5 == 0 { lines.append("    Error running script: return code was \(i % 3).") }
        }
        let text = lines.joined(separator: "\n") + "\n"
        let scanned = scan(text, shape: .jamf, rules: oneRule).scanner.unrecognized
        var reference = UnrecognizedCollector()
        for (k, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeBytes { raw in
                guard let level = ErrorLevel.level(shape: .jamf, line: raw) else { return }
                let template = MessageTemplate(message: MessagePart.of(shape: .jamf, line: raw))
                reference.add(UnrecognizedKind(level: level, template: template, count: 1, firstWritten: nil, lastWritten: nil,
                                               firstSeen: nil, lastSeen: nil, exampleSource: "", exampleLine: k + 1,
                                               exampleText: line))
            }
            bytes.removeAll()
        }
        #expect(scanned.lineCount == lines.count)
        #expect(scanned.kinds.map(\.template.text) == reference.kinds.map(\.template.text))
        #expect(scanned.kinds.map(\.count) == reference.kinds.map(\.count))
        #expect(scanned.kinds.map(\.exampleLine) == reference.kinds.map(\.exampleLine))
    }

    @Test func messagePartDropsMSALsPrefixOnlyWhereThereIsOne() {
        func part(_ shape: LogShape, _ line: String) -> String {
            Array(line.utf8).withUnsafeBytes { MessagePart.of(shape: shape, line: $0) }
        }
        #expect(part(.companyPortalPipe, "2024-02-23 12:10:57.731 | aad | 4278 | MSALLogger.swift: 41 (log) | TID=97 MSAL 1.3.3 Mac 14.4.1 [2024-02-23 12:10:57 - 254a] Keychain find status: 0")
                == "Keychain find status: 0")
        #expect(part(.companyPortalPipe, "2024-02-23 12:10:57.731 | aad | 4278 | MSALLogger.swift: 41 (log) | TID=x MSAL [a] b")
                == "TID=x MSAL [a] b")
        #expect(part(.jamf, "Wed Feb 01 09:12:03 Mac jamf[335]: Error: TID=5 [x] [MSAL] y") == "Error: y")
        #expect(part(.jamf, "Wed Feb 01 09:12:03 Mac jamf[335]: Error: no thread id [x] here") == "Error: no thread id [x] here")
        #expect(part(.unifiedNDJSON, #"{"messageType":"Error","eventMessage":"TID=1 [a] \"q\" b"}"#) == #"TID=1 [a] "q" b"#)
    }

    @Test func drainMergesWordsThatDifferAndKeepsOthersApart() {
        var c = UnrecognizedCollector()
        func add(_ s: String) {
            c.add(UnrecognizedKind(level: "error", template: MessageTemplate(message: s), count: 1, firstWritten: nil,
                                   lastWritten: nil, firstSeen: nil, lastSeen: nil, exampleSource: "", exampleLine: 1, exampleText: s))
        }
        add("Could not load profile Alpha for user")
        add("Could not load profile Beta for user")
        add("Could not write cache Gamma now please")
        add("Timeout")
        add("Refused")
        #expect(Set(c.kinds.map(\.template.text)) == ["Could not load profile <*> for user", "Could not write cache Gamma now please",
                                                       "Timeout", "Refused"])
    }

    @Test func kindsBeyondTheCapAreCountedNotKept() {
        var c = UnrecognizedCollector(capacity: 3)
        for i in 0..<10 {
            let s = "kind\(i) broke"
            c.add(UnrecognizedKind(level: "error", template: MessageTemplate(message: s), count: 2, firstWritten: nil,
                                   lastWritten: nil, firstSeen: nil, lastSeen: nil, exampleSource: "", exampleLine: 1, exampleText: s))
        }
        #expect(c.kinds.count == 3)
        #expect(c.overflowLines == 14)
        #expect(c.lineCount == 20)
    }
}

@Suite struct ConsequenceTests {
    func set(_ extra: [(String, String)]) -> RuleSet {
        ruleSet([
            ("rules/a.yml", "id: a\ncause: root\npattern: 'root marker'\nexamples: {match: ['root marker']}\n"),
            ("rules/b.yml", "id: b\ncause: side\npattern: 'side marker'\nexamples: {match: ['side marker']}\n"),
            ("causes/root.yml", "id: root\ntitle: r\nseverity: high\nsummary: s\nfix: [f]\n"),
        ] + extra)
    }

    @Test func aConsequenceNamesItsRootOnlyWhenTheRootIsFound() {
        let rules = set([("causes/side.yml", "id: side\ntitle: s\nseverity: high\nsummary: s\nfix: [f]\nconsequence_of: [root]\n")])
        #expect(!rules.hasErrors)
        func classify(_ markers: [String]) -> [String: String] {
            let events = markers.enumerated().map { (i, m) -> Event in
                let r = rules.rules.firstIndex { $0.id == m }!
                var e = Event(bundle: "b", source: "x", fileIndex: 0, line: i + 1, ruleIndex: r, rule: m, text: m,
                              captures: [:], format: .text, time: Instant(seconds: Int64(i)))
                e.orderTime = e.time
                return e
            }
            let found = Classifier(rules: rules).classify(bundle: "b", events: events, coverage: []).findings
            return Dictionary(uniqueKeysWithValues: found.map { ($0.cause, $0.consequenceOf ?? "-") })
        }
        #expect(classify(["a", "b"]) == ["root": "-", "side": "root"])
        #expect(classify(["b"]) == ["side": "-"])
    }

    @Test func unknownIdsAndCyclesAreErrors() {
        let unknown = set([("causes/side.yml", "id: side\ntitle: s\nseverity: high\nsummary: s\nfix: [f]\nconsequence_of: [nope]\n")])
        #expect(unknown.diagnostics.contains { $0.level == .error && $0.field == "consequence_of" && $0.message.contains("'nope'") })
        let cycle = ruleSet([
            ("causes/x.yml", "id: x\ntitle: x\nseverity: high\nsummary: s\nfix: [f]\nconsequence_of: y\n"),
            ("causes/y.yml", "id: y\ntitle: y\nseverity: high\nsummary: s\nfix: [f]\nconsequence_of: [z]\n"),
            ("causes/z.yml", "id: z\ntitle: z\nseverity: high\nsummary: s\nfix: [f]\nconsequence_of: [x]\n"),
        ])
        let circles = cycle.diagnostics.filter { $0.message.contains("circle") }
        #expect(circles.count == 1)
        #expect(circles.first?.message.contains("x → y → z → x") == true)
        let selfLoop = ruleSet([("causes/x.yml", "id: x\ntitle: x\nseverity: high\nsummary: s\nfix: [f]\nconsequence_of: [x]\n")])
        #expect(selfLoop.hasErrors)
    }
}

@Suite struct CopiedFormatTimeTests {
    func time(_ shape: LogShape, _ line: String) -> RecordTime? {
        Array(line.utf8).withUnsafeBytes { TimeParsing.recordTime(shape: shape, line: $0) }
    }

    @Test func stampsOfTheNewShapes() {
        let console = time(.unifiedConsole, "error   2020-04-26 22:06:16.5 -0500  JamfAAD  Failed")
        #expect(console?.local == LocalDateTime(year: 2020, month: 4, day: 26, hour: 22, minute: 6, second: 16, nanosecond: 500_000_000))
        #expect(console?.zone == .offset(-5 * 3600))
        let viewer = time(.companyPortalViewer, "Enrollment\t2025-08-11 16:27:58:369 | E | 1 | x")
        #expect(viewer?.local.minute == 27 && viewer?.local.nanosecond == 369_000_000 && viewer?.zone == .local)
        let app = time(.msal, "2024-05-01 10:00:00.123 MSAL 1.2.3 macOS 14.4 [2024-05-01 08:00:00 - x] m")
        #expect(app?.local.hour == 10 && app?.zone == .local)
        let msalOnly = time(.msal, "TID=7 MSAL 1.2.4 Mac 13.0.1 [2022-12-29 19:49:59 - x] m")
        #expect(msalOnly?.local.hour == 19 && msalOnly?.zone == .utc)
    }

    /// Time-only rows take the file's day, move to the next day past midnight, and say so.
    @Test func timeOnlyRowsTakeTheFilesDay() {
        var hits: [RawHit] = []
        let rules = CompiledRules(ruleSet([("rules/m.yml", "id: m\npattern: 'marker here'\nexamples: {match: ['marker here']}\n")]))
        let scanner = FileScanner(format: DetectedFormat(.unifiedConsoleTimeOnly), rules: rules, matcher: Matcher()) { hits.append(RawHit($0)) }
        scanner.contextDay = (2024, 2, 29)
        let text = "default 23:59:58.000001 +1100 JamfAAD marker here\ndefault 00:00:03.5 +1100 JamfAAD marker here\n"
        Array(text.utf8).withUnsafeBytes { scanner.consume($0, .lines) }
        scanner.finish()
        #expect(hits.count == 2)
        #expect(hits.map { $0.recordTime?.local.day } == [29, 1])
        #expect(hits.map { $0.recordTime?.local.month } == [2, 3])
        #expect(hits.allSatisfy { $0.recordTime?.dateFromContext == true && $0.recordTime?.zone == .offset(11 * 3600) })
        let resolver = TimeResolver(samples: [], options: AnalysisOptions())
        #expect(resolver.resolveOne(hits[0].recordTime!, modificationDate: nil)?.basis == .dateFromFile)
        #expect(resolver.resolveOne(hits[0].recordTime!, modificationDate: nil)?.instant.rfc3339 == "2024-02-29T12:59:58.000001Z")
    }
}
