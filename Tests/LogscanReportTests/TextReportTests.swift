import Foundation
import Testing
@testable import LogscanReport

@Suite struct MessagePartTests {
    /// The text report shows a line's message without the prefix of its format. Each case is
    /// checked against the regular expression the scan replaced, too.
    @Test func prefixesOfEveryFormatAreStripped() {
        let cases: [(String, String)] = [
            ("2020-04-27 03:07:12:118 | I | TID=1 MSAL 1.2.4 Mac 13 [2020-04-27 08:07:12 - x] [MSAL] Acquired PRT.", "Acquired PRT."),
            ("2024-01-01 10:00:00,000 [INFO ] [Tomcat-1] [IntuneManager] - Could not retrieve the token", "Could not retrieve the token"),
            ("2024-05-02 08:01:10.004512+0100 0x5a1c Default 0x0 812 0 AppSSOAgent: [com.microsoft.CompanyPortalMac.ssoextension:SSO] Acquired PRT.", "Acquired PRT."),
            // The first bracket pair of that shape wins, here the process's [pid:thread].
            ("2024-05-02 08:01:10.004 Df jamfAAD[9001:3a1f] [com.jamf.connect.daemon:AAD ID] AAD ID acquired",
             "[com.jamf.connect.daemon:AAD ID] AAD ID acquired"),
            ("Thu Feb 21 11:11:41 Jane’s MacBook jamf[8051]: Checking for policies", "Checking for policies"),
            ("2020-04-27 03:07:12.118\tINFO\tcom.microsoft.ssp.application\tTID=1\tWelcomeViewController.swift: 253 (startLogin()) Portal launched", "Portal launched"),
            ("  a line with no known prefix  ", "a line with no known prefix"),
            ("[not:a match]without space after", "[not:a match]without space after"),
            ("[x:] no category here", "[x:] no category here"),
            ("File.swift:12 (f) x [a:b] message", "message"),
        ]
        for (line, message) in cases {
            #expect(TextReport.messagePart(line) == message, "\(line)")
        }
        // The replaced regular expressions find the same ends.
        let subsystem = try! NSRegularExpression(pattern: #"\[[A-Za-z0-9_.-]+:[A-Za-z0-9_. -]+\] "#)
        let swiftSource = try! NSRegularExpression(pattern: #"\.swift: *\d+ \(.*?\) "#)
        let samples = cases.map(\.0) + ["[a:b c] [d:e] x", "[a.b-c_d:E F] y", "x.swift: 1 (a) b) c", "x.swift:  (a) b", "x.swift: 12(a) b",
                                        "[a:b]] c", "[[a:b] c", "y.swift: 3 (a) .swift: 4 (b) z"]
        for line in samples {
            let bytes = Array(line.utf8)
            let ns = line as NSString
            func end(_ r: NSRegularExpression) -> Int? {
                let m = r.firstMatch(in: line, range: NSRange(location: 0, length: ns.length))
                return m.map { ns.substring(to: $0.range.location + $0.range.length).utf8.count }
            }
            #expect(TextReport.subsystemCategoryEnd(bytes) == end(subsystem), "\(line)")
            #expect(TextReport.swiftSourceEnd(bytes) == end(swiftSource), "\(line)")
        }
    }
}
