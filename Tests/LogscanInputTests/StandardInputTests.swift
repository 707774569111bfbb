import Foundation
import Testing
import LogscanInput

/// Standard input is process-wide: these tests swap fd 0 for a file, one at a time.
@Suite(.serialized) struct StandardInputTests {
    func walkStandardInput(from path: String) throws -> WalkResult {
        let saved = dup(0)
        let replacement = open(path, O_RDONLY)
        #expect(saved >= 0 && replacement >= 0)
        dup2(replacement, 0)
        close(replacement)
        defer {
            dup2(saved, 0)
            close(saved)
        }
        return walk(BundlePlan(name: "-", roots: [.standardInput]))
    }

    @Test func plainStandardInputIsNamedDash() throws {
        let dir = try TemporaryDirectory()
        let result = try walkStandardInput(from: try dir.write("in.log", "from stdin\n"))
        #expect(result.sources == ["-"])
        #expect(result.leaves.first?.text == "from stdin\n")
        #expect(result.leaves.first?.date == nil)
    }

    @Test func compressedStandardInputIsDecompressed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("in.log", "gzipped stdin\n")
        try run(["gzip", "in.log"], in: dir.path)
        let result = try walkStandardInput(from: dir.at("in.log.gz"))
        #expect(result.sources == ["-"])
        #expect(result.leaves.first?.text == "gzipped stdin\n")
    }

    @Test func archiveOnStandardInputIsWalkedWithoutSeeking() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/var/log/jamf.log", "zipped stdin\n")
        try run(["zip", "-qr", "../in.zip", "."], in: dir.at("tree"))
        let result = try walkStandardInput(from: dir.at("in.zip"))
        #expect(result.allErrors.isEmpty)
        #expect(result.sources == ["-!var/log/jamf.log"])
        #expect(result.leaves.first?.text == "zipped stdin\n")
    }
}
