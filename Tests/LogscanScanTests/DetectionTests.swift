import Testing
@testable import LogscanRules
@testable import LogscanScan

@Suite struct DetectionTests {
    static let detector = FormatDetector()

    func detect(_ text: String) -> DetectedFormat {
        Array(text.utf8).withUnsafeBytes { Self.detector.detect($0) }
    }

    @Test(arguments: [
        ("2020-04-27 03:07:10.363\tVERB\tcom.microsoft.ssp.telemetry\tTID=10318\tAriaTelemetryService.swift: 283 (send()) x\n2020-04-27 03:07:12.118\tINFO\tcom.microsoft.ssp.application\tTID=1\tWelcomeViewController.swift: 253 (startLogin()) y\n", LogShape.companyPortalLegacy, LogFormat.companyPortal),
        ("2020-04-27 03:07:10.363 VERB com.microsoft.ssp.telemetry TID=10318 AriaTelemetryService.swift: 283 (send()) x\n", .companyPortalLegacy, .companyPortal),
        ("2025-08-30 17:18:28.301 | openIdConfiguration | 22168 | OpenIdConfigurationManager.swift: 96 (executeAtLogout()) | Logout called\n2025-08-30 17:18:28.308 | workplaceJoinSdk | 22168 | v3.8.1 | INFO: [2025-08-30 17:18:28][+WPJPlatformSSOUtil getPlatformSSORegistrationStatus:731] status\n", .companyPortalPipe, .companyPortal),
        ("2025-08-11 16:27:57:288 | IntuneMDM-Daemon | I | 89007856 | FullSyncWorkflow | Starting sidecar gateway service checkin\n2025-08-11 16:27:57:845 | IntuneMDM-Daemon | I | *89007833 | HttpClientLogger | ok\n", .houseGrammar, .intuneAgent),
        ("2025-08-11 16:27:57:288 | CompanyPortal | I | 1 | Enrollment | hello\n", .houseGrammar, .companyPortal),
        ("2022-12-29 14:49:59:281 | I | TID=783491 MSAL 1.2.4 Mac 13.0.1 [2022-12-29 19:49:59] Handling SSO request\n2022-12-29 14:49:59:599 | I | Beginning authorization request\n", .ssoExtension, .ssoExtension),
        ("Thu Feb 21 11:11:41 mavel-mojave jamf[7960]: No patch policies were found.\nWed Mar 16 13:31:20 François's Mac mini jamf[2874]: Installation failed.\n", .jamf, .jamf),
        ("2020-01-13 20:09:44,384 [DEBUG] [Thread-78 ] [lientCommunicationServlet] - Processing action\njava.lang.Exception: x\n\tat a.b.C(C.java:1)\n2020-01-13 20:09:45,001 [ERROR] [eralPool-82] [rtificateRequestProcessor] - failed\n", .jamfServer, .jamfServer),
        ("Filtering the log data using \"subsystem == \\\"com.jamf.management.jamfAAD\\\"\"\nTimestamp                       Thread     Type        Activity             PID    TTL  \n2024-02-06 10:14:03.118204-0500 0x3c1f2    Default     0x0                  2211   0    Jamf Conditional Access: [com.jamf.management.jamfAAD:default] hi\n", .unifiedDefault, .unifiedLog),
        ("Timestamp               Ty Process[PID:TID]\n2020-04-26 22:06:15.055 Df JamfAAD[1480:1f2a3] [com.jamf.management.jamfAAD:default] Launching Company Portal\n", .unifiedCompact, .unifiedLog),
        ("2024-10-01 16:46:37.557305+0200 localhost IntuneMdmDaemon[2615]: (libusrtcp.dylib) [com.apple.network:tcp] x\n2024-10-01 16:46:38.000000+0200 localhost Jamf Conditional Access[2211]: (x) [com.jamf.management.jamfAAD:default] y\n", .unifiedSyslog, .unifiedLog),
        ("{\"timestamp\":\"2024-02-06 10:14:03.118204-0500\",\"messageType\":\"Default\",\"eventMessage\":\"x\"}\n{\"count\":1,\"finished\":1}\n", .unifiedNDJSON, .unifiedLog),
        ("[{\n  \"traceID\" : 1,\n  \"eventMessage\" : \"x\",\n  \"timestamp\" : \"2024-02-06 10:14:03.118204-0500\"\n},{\n", .unifiedJSON, .unifiedLog),
        ("default\t2020-04-26 22:06:15.055131 -0500\tJamfAAD\tLaunching Company Portal\n", .unifiedConsole, .unifiedLog),
        // Copied from a web page or chat: the tabs became spaces.
        ("default 2020-04-26 22:06:15.055131 -0500 JamfAAD Launching Company Portal\nerror   2020-04-26 22:06:16.000000 -0500  JamfAAD  Failed\n", .unifiedConsole, .unifiedLog),
        // Console rows with the time only, tabs or spaces.
        ("default 10:04:48.077069 +1100 JamfAAD Launching Company Portal\nerror\t10:04:49.000001 +1100\tJamfAAD\tToken failed\n", .unifiedConsoleTimeOnly, .unifiedLog),
        // Company Portal's log viewer export: a component name, a tab, a pipe line.
        ("Enrollment\t2025-08-11 16:27:58:369 | E | 89007862 | Enrollment failed\nAAD\t2025-08-11 16:27:59:001 | I | 89007862 | Token acquired\n", .companyPortalViewer, .companyPortal),
        // An app's MSAL log lines: its own stamp, or MSAL's alone.
        ("2024-05-01 10:00:00.123 MSAL 1.2.3 macOS 14.4 [2024-05-01 10:00:00 - 1234ABCD-0000-4000-8000-0000000000AA] [ERROR] acquireTokenSilent failed\n", .msal, .text),
        ("TID=783491 MSAL 1.2.4 Mac 13.0.1 [2022-12-29 19:49:59 - 1234ABCD-0000-4000-8000-0000000000AA] Handling SSO request\n", .msal, .text),
        ("hello world\nthis is not a log format\n", .text, .text),
        ("Mon Feb 21 11:11:41 host syslogd[12]: not jamf\n", .text, .text),
    ])
    func detects(sample: String, shape: LogShape, format: LogFormat) {
        let d = detect(sample)
        #expect(d.shape == shape)
        #expect(d.format == format)
    }

    @Test func binaryIsRecognised() {
        var data = [UInt8](repeating: 0, count: 4096)
        for i in stride(from: 0, to: 4096, by: 3) { data[i] = UInt8(i % 251) }
        #expect(data.withUnsafeBytes { Self.detector.detect($0) }.format == .binary)
        // A text log with a few stray NUL bytes is still text.
        var text = Array(String(repeating: "Thu Feb 21 11:11:41 mac jamf[1]: hello\n", count: 50).utf8)
        text[10] = 0
        #expect(text.withUnsafeBytes { Self.detector.detect($0) }.format == .jamf)
    }
}
