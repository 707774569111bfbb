import Foundation
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis
import Testing
@testable import LogscanReport

@Suite struct RedactorTests {
    /// Lines in the shapes the logs use, each with what must go and what must stay.
    static let cases: [(line: String, gone: [String], kept: [String])] = [
        ("Mon Mar 10 07:36:56 Ann’s iMac jamf[51247]: Checking for policies triggered by \"recurring check-in\" for user \"ann\"...",
         ["Ann’s iMac", "\"ann\""], ["jamf[51247]", "recurring check-in", "Mon Mar 10 07:36:56"]),
        ("2025-10-21 09:41:14:924 | E | TID=838954 MSAL 1.2.22 Mac 15.7 [2025-10-21 14:41:14 - 1941962A-50A9-4095-83AC-E99DE0BA23D1] [MSAL] Error from server: AADSTS530003: Your device is required to be managed. Trace ID: 9d45411d-0f82-430e-a8db-fb0b6097970b Correlation ID: a29f1756-e8e9-4719-9e9f-52cd0ceca51d",
         ["1941962A-50A9-4095-83AC-E99DE0BA23D1", "9d45411d-0f82-430e-a8db-fb0b6097970b", "a29f1756-e8e9-4719-9e9f-52cd0ceca51d"],
         ["AADSTS530003", "2025-10-21 09:41:14:924", "MSAL 1.2.22 Mac 15.7"]),
        ("Acquiring token for client b03c10a8-71c7-45f9-b44a-3335ab76e970 resource 00000003-0000-0000-c000-000000000000 tenant 6d5d1001-9c34-407d-a085-6d41342160c6 at https://login.microsoftonline.com/6d5d1001-9c34-407d-a085-6d41342160c6/oauth2/v2.0/token",
         ["6d5d1001-9c34-407d-a085-6d41342160c6"],
         ["b03c10a8-71c7-45f9-b44a-3335ab76e970", "00000003-0000-0000-c000-000000000000", "https://login.microsoftonline.com/"]),
        ("user ann.lee@northwind.example signed in from 10.20.30.40 and fe80::1c2b:3d4e:5f60:7182 (en0 a4:83:e7:11:22:33) serial number: C02XL0GHJGH5",
         ["ann.lee", "northwind.example", "10.20.30.40", "fe80::1c2b:3d4e:5f60:7182", "a4:83:e7:11:22:33", "C02XL0GHJGH5"], ["signed in from", "en0"]),
        ("The SSL Certificate for https://jamf.northwind.example:8443/ must be trusted; also contoso.jamfcloud.com and contoso.onmicrosoft.com, not graph.microsoft.com or fef.msub05.manage.microsoft.com",
         ["jamf.northwind.example", "contoso.jamfcloud.com", "contoso.onmicrosoft.com"], ["graph.microsoft.com", "fef.msub05.manage.microsoft.com", ":8443/"]),
        ("Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl client_secret=Xq8~abcDEF123456 password: hunter22hunter",
         ["eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9", "Xq8~abcDEF123456", "hunter22hunter"], ["Authorization: Bearer", "client_secret="]),
        ("/Users/ann/Library/Logs/Company Portal/com.microsoft.CompanyPortalMac.log was written by ann",
         ["/Users/ann/", "by ann"], ["com.microsoft.CompanyPortalMac.log", "Company Portal"]),
        ("Error Domain=NSURLErrorDomain Code=-1202 \"The certificate for this server is invalid\" OSStatus -25300 errSecItemNotFound",
         [], ["Code=-1202", "-25300", "NSURLErrorDomain"]),
    ]

    @Test func sensitiveValuesGoAndWhatTheDiagnosisNeedsStays() {
        let redactor = Redactor()
        for c in Self.cases {
            let out = redactor.redact(c.line)
            for gone in c.gone { #expect(!out.contains(gone), "\(gone) survived in \(out)") }
            for kept in c.kept { #expect(out.contains(kept), "\(kept) was lost from \(out)") }
        }
    }

    @Test func theSameValueAlwaysGetsTheSamePseudonymWhateverItsCase() {
        let redactor = Redactor()
        let a = redactor.redact("device id c76452df-c05e-49ad-a05d-89c518247acb registered")
        let b = redactor.redact("deviceId=C76452DF-C05E-49AD-A05D-89C518247ACB; other 11111111-2222-3333-4444-555555555555")
        #expect(a == "device id guid-1 registered")
        #expect(b == "deviceId=guid-1; other guid-2")
    }

    @Test func aNameLearntInOnePlaceIsReplacedWhereverItAppears() {
        let redactor = Redactor()
        // Nothing says "mia" is a user in the second line on its own …
        #expect(redactor.redact("hello mia") == "hello mia")
        // … but once a home folder names her, she is replaced in every later text.
        _ = redactor.redact("/Users/mia/Library/Logs/jamf.log")
        #expect(redactor.redact("hello mia, Mia") == "hello user-1, user-1")
    }

    @Test func aBundleIsLearntWholeBeforeAnyOfItIsRedacted() {
        func event(_ text: String, line: Int, source: String) -> Event {
            Event(bundle: "fleet/Anns-iMac-ann-2025-03-10-15-02-05.zip", source: source, fileIndex: 0, line: line,
                  ruleIndex: 0, rule: "r", text: text, captures: [:], format: .text)
        }
        let name = "fleet/Anns-iMac-ann-2025-03-10-15-02-05.zip"
        // The first line mentions the user before anything identifies her as one.
        let first = event("ann opened Company Portal", line: 1, source: name + "!var/log/jamf.log")
        let second = event("Checking for policies for user \"ann\" on 192.168.1.20", line: 2, source: name + "!var/log/jamf.log")
        let bundle = BundleReport(name: name, device: "Anns-iMac", inputs: [], findings: [], timeline: Timeline(events: [first, second]),
                                  errors: [], timeNotes: [])
        let out = Redactor().redact(bundle)
        let texts = out.timeline.map(\.text)
        #expect(texts == ["user-1 opened Company Portal", "Checking for policies for user \"user-1\" on ip-1"])
        #expect(out.name == "fleet/host-1-user-1-2025-03-10-15-02-05.zip")
        #expect(out.device == "host-1")
        #expect(out.timeline.map(\.source) == [out.name + "!var/log/jamf.log", out.name + "!var/log/jamf.log"])
    }

    @Test func aSaltGivesTheSamePseudonymsInEveryReportAndNoneWithoutIt() {
        let one = Redactor(salt: "s3cret"), two = Redactor(salt: "s3cret"), other = Redactor(salt: "else")
        let a = one.redact("tenant 6d5d1001-9c34-407d-a085-6d41342160c6 and 10.1.2.3")
        // Another report meets the values in another order, after others: same pseudonyms.
        _ = two.redact("first 99999999-2222-3333-4444-555555555555")
        let b = two.redact("tenant 6d5d1001-9c34-407d-a085-6d41342160c6 and 10.1.2.3")
        #expect(a == b)
        #expect(a.range(of: #"^tenant guid-[0-9a-f]{8} and ip-[0-9a-f]{8}$"#, options: .regularExpression) != nil, "\(a)")
        #expect(other.redact("tenant 6d5d1001-9c34-407d-a085-6d41342160c6 and 10.1.2.3") != a)
    }

    @Test func theMapSaysWhatEachPseudonymStandsFor() {
        let redactor = Redactor()
        _ = redactor.redact("user ann.lee@northwind.example on Anns-MacBook.corp")
        let map = Dictionary(uniqueKeysWithValues: redactor.mapping.map { ($0.pseudonym, $0.original) })
        #expect(map["user-1"] == "ann.lee")
        #expect(map["host-1"] == "northwind.example")
        #expect(map["user-1@host-1"] == "ann.lee@northwind.example")
        #expect(map["host-2"] == "Anns-MacBook.corp")
    }
}
