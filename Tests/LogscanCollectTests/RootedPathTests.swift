import Foundation
import Testing
@testable import LogscanCollect

/// Collection reads under its root only: links are followed as the Mac would see them, never
/// out of the root, and never at the file itself.
@Suite struct RootedPathTests {
    static func tree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rooted-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("private/var/log"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("Users/ann/Logs"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: root.appendingPathComponent("private/var/log/jamf.log"))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("var").path, withDestinationPath: "private/var")
        // An absolute link, as a backup of a Mac may hold: it means the Mac's /private/var.
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("abs").path, withDestinationPath: "/private/var")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("Users/ann/Logs/planted.log").path, withDestinationPath: "/etc/passwd")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("Users/ann/up").path, withDestinationPath: "../../../../../../etc")
        return root
    }

    @Test func followsDirectoryLinksInsideTheRoot() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let rooted = RootedPath(root: root.path)
        #expect(rooted.resolve("var/log/jamf.log") == .regularFile(root.path + "/private/var/log/jamf.log"))
        #expect(rooted.resolve("abs/log/jamf.log") == .regularFile(root.path + "/private/var/log/jamf.log"))
        #expect(rooted.resolve("var/log") == .directory(root.path + "/private/var/log"))
    }

    @Test func neverLeavesTheRootNorFollowsAFileLink() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let rooted = RootedPath(root: root.path)
        #expect(rooted.resolve("Users/ann/Logs/planted.log") == .missing("a symbolic link: not followed"))
        // `..` stops at the root: this is the root's own etc, which does not exist.
        #expect(rooted.resolve("Users/ann/up/passwd") == .missing("not found"))
        #expect(rooted.resolve("../../etc/passwd") == .missing("not found"))
    }

    @Test func nameFilters() {
        let jamf = SourceCatalog.NameFilter.stemAndRotations("jamf.log")
        #expect(jamf.accepts("jamf.log") && jamf.accepts("jamf.log.0.gz") && !jamf.accepts("jamfAAD.log") && !jamf.accepts("system.log"))
        let logs = SourceCatalog.NameFilter.logFiles
        #expect(logs.accepts("com.microsoft.CompanyPortalMac 2025-03-10--15-02-05-504.log") && logs.accepts("IntuneMDMDaemon.log.1"))
        #expect(!logs.accepts(".DS_Store") && !logs.accepts("settings.plist"))
    }

    @Test func everySourceHasAUniqueIdAndAListing() {
        let ids = SourceCatalog.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(SourceCatalog.all.allSatisfy { !$0.listing.isEmpty })
        #expect(SourceCatalog.all.filter { if case .unifiedLog = $0.kind { return true } else { return false } }.count == 3)
    }
}
