import Foundation
import Testing
import LogscanInput

/// Everything under a directory is accounted for: read, a duplicate of a file read, or an error.
@Suite struct DirectoryWalkTests {
    struct Walked {
        var leaves: [String] = []
        var errors: [InputError] = []
        var duplicates: [(String, String)] = []
    }

    static func walkDirectory(_ path: String) -> Walked {
        var walked = Walked()
        enumerateLeaves(of: BundlePlan(name: path, roots: [.directory(path: path)]), limits: ArchiveLimits(),
                        visit: { leaf in
                            _ = drain(leaf.stream)
                            walked.leaves.append(leaf.source)
                        }, error: { walked.errors.append($0) },
                        duplicate: { walked.duplicates.append(($0, $1)) })
        return walked
    }

    @Test func fifosLoopsAndBrokenLinksAreErrorsAndNothingWaits() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/a.log", "a\n")
        #expect(mkfifo(dir.at("logs/pipe"), 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.at("logs/loop-a"), withDestinationPath: "loop-b")
        try FileManager.default.createSymbolicLink(atPath: dir.at("logs/loop-b"), withDestinationPath: "loop-a")
        try FileManager.default.createSymbolicLink(atPath: dir.at("logs/broken"), withDestinationPath: "gone.log")
        // A link back up the tree: its directory is walked once, and that is no error.
        try FileManager.default.createSymbolicLink(atPath: dir.at("logs/up"), withDestinationPath: ".")
        let walked = Self.walkDirectory(dir.at("logs"))
        #expect(walked.leaves == [dir.at("logs/a.log")])
        let bySource = Dictionary(grouping: walked.errors, by: \.source)
        #expect(Set(bySource.keys) == [dir.at("logs/pipe"), dir.at("logs/loop-a"), dir.at("logs/loop-b"), dir.at("logs/broken")])
        #expect(bySource[dir.at("logs/pipe")]?.first?.message.contains("FIFO") == true)
        #expect(bySource[dir.at("logs/loop-a")]?.first?.message.contains("loop") == true)
        #expect(bySource[dir.at("logs/broken")]?.first?.message.contains("gone.log") == true)
    }

    @Test func aFileReachedTwiceIsReadOnce() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/b/jamf.log", "x\n")
        try FileManager.default.createSymbolicLink(atPath: dir.at("logs/a-link.log"), withDestinationPath: "b/jamf.log")
        #expect(link(dir.at("logs/b/jamf.log"), dir.at("logs/c-hard.log")) == 0)
        let walked = Self.walkDirectory(dir.at("logs"))
        #expect(walked.leaves == [dir.at("logs/a-link.log")])
        #expect(walked.duplicates.map(\.0) == [dir.at("logs/b/jamf.log"), dir.at("logs/c-hard.log")])
        #expect(walked.duplicates.allSatisfy { $0.1 == dir.at("logs/a-link.log") })
        #expect(walked.errors.isEmpty)
    }

    @Test func namedTwiceOrThroughASymlinkIsPlannedOnce() throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("jamf.log", "x\n")
        try FileManager.default.createSymbolicLink(atPath: dir.at("link.log"), withDestinationPath: "jamf.log")
        let plan = planBundles(paths: [log, dir.at("link.log"), log, "-", "-"])
        #expect(plan.errors.isEmpty)
        #expect(plan.bundles.count == 1)
        #expect(plan.bundles[0].roots == [.file(path: log), .standardInput])
        #expect(plan.bundles[0].duplicates.map(\.path) == [dir.at("link.log"), log, "-"])
    }

    @Test func aFIFONamedAsAnArgumentIsReadWithoutWaitingForAWriter() throws {
        let dir = try TemporaryDirectory()
        #expect(mkfifo(dir.at("pipe"), 0o644) == 0)
        let started = Date()
        let result = walk(BundlePlan(name: "pipe", roots: [.file(path: dir.at("pipe"))]))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(result.leaf(dir.at("pipe"))?.bytes == [])
        #expect(result.allErrors.isEmpty)
    }

    @Test func devicesAreRefused() throws {
        let result = walk(BundlePlan(name: "zero", roots: [.file(path: "/dev/zero")]))
        #expect(result.leaves.isEmpty)
        #expect(result.errors.first?.message.contains("device") == true)
    }
}
