import Foundation
import Testing
@testable import LogscanInput
import LogscanRules
import LogscanScan

/// jamfAAD's and the jamf framework's plists, binary or XML, become lines the rules match.
@Suite struct PlistStateTests {
    static let jamfAAD = PlistState.domain(forSource: "mac.zip!Users/ann/Library/Preferences/com.jamf.management.jamfAAD.plist")!
    static let modified = Date(timeIntervalSince1970: 1741619240)  // 2025-03-10T15:07:20Z

    @Test(arguments: [PropertyListSerialization.PropertyListFormat.binary, .xml])
    func jamfAADStateBothFormats(format: PropertyListSerialization.PropertyListFormat) throws {
        let data = try PropertyListSerialization.data(fromPropertyList: ["have_an_Azure_id": 1, "last_aad_token_timestamp": 1741619000, "unrelated": "x"],
                                                      format: format, options: 0)
        let lines = try #require(PlistState.render(Array(data), domain: Self.jamfAAD, modified: Self.modified))
        let text = String(decoding: lines, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(text.count == 2)
        // 1 may come back as a number or, bridged, as true: the rules accept both.
        #expect(text[0] == "2025-03-10T15:07:20Z plist com.jamf.management.jamfAAD have_an_Azure_id=1"
            || text[0] == "2025-03-10T15:07:20Z plist com.jamf.management.jamfAAD have_an_Azure_id=true")
        // The token line carries the token's own time.
        #expect(text[1] == "2025-03-10T15:03:20Z plist com.jamf.management.jamfAAD last_aad_token_timestamp=1741619000")
        #expect(!text.joined().contains("unrelated"))
        // And the detector tells the rendered lines apart from any log.
        let format = lines.withUnsafeBytes { FormatDetector.shared.detect($0) }
        #expect(format.format == .plist)
    }

    @Test func absentKeysAndTheFrameworkPlist() throws {
        let jamf = try #require(PlistState.domain(forSource: "Library/Preferences/com.jamfsoftware.jamf.plist"))
        let data = try PropertyListSerialization.data(fromPropertyList: ["microsoftCAEnabled": false, "microsoftCANativeClientAppID": "b03c10a8-71c7-45f9-b44a-3335ab76e970"],
                                                      format: .xml, options: 0)
        let text = String(decoding: try #require(PlistState.render(Array(data), domain: jamf, modified: nil)), as: UTF8.self)
        #expect(text == "plist com.jamfsoftware.jamf microsoftCAEnabled=false\nplist com.jamfsoftware.jamf microsoftCANativeClientAppID=b03c10a8-71c7-45f9-b44a-3335ab76e970\n")
        let empty = try PropertyListSerialization.data(fromPropertyList: [String: Any](), format: .binary, options: 0)
        let none = String(decoding: try #require(PlistState.render(Array(empty), domain: Self.jamfAAD, modified: nil)), as: UTF8.self)
        #expect(none == "plist com.jamf.management.jamfAAD have_an_Azure_id=(absent)\nplist com.jamf.management.jamfAAD last_aad_token_timestamp=(absent)\n")
    }

    @Test func notAPlistIsLeftAlone() {
        #expect(PlistState.render(Array("Thu Feb 21 11:11:41 mac jamf[1]: hello\n".utf8), domain: Self.jamfAAD, modified: nil) == nil)
        #expect(PlistState.domain(forSource: "Library/Preferences/com.apple.finder.plist") == nil)
    }

    @Test func manifestRoundTrip() throws {
        var m = CollectionManifest(logscanVersion: "0.1.0", collectedAt: "2026-01-01T00:00:00Z", timeZone: "America/Chicago",
                                   utcOffset: "-06:00", root: "/", live: true, device: "Ann’s iMac", os: nil, versions: ["Jamf": "11.5.0"],
                                   users: ["ann"], days: 7)
        m.collected.append(.init(source: "jamf-log", path: "var/log/jamf.log", bytes: 10, modified: nil))
        let bytes = m.encoded()
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""time_zone" : "America/Chicago""#))
        #expect(CollectionManifest.decode(bytes) == m)
        #expect(CollectionManifest.decode(Array(#"{"schema":"other"}"#.utf8)) == nil)
        #expect(CollectionManifest.isManifest(source: "fleet/mac.zip!logscan-manifest.json"))
        #expect(!CollectionManifest.isManifest(source: "fleet/mac.zip!logscan-manifest.json.bak"))
    }
}
