import Foundation
import Testing
import LogscanInput

@Suite struct ArchiveFormatTests {
    /// A small tree like an IntuneMacODC zip, with a member bigger than one libarchive block.
    static func makeTree(in dir: TemporaryDirectory) throws -> [String: [UInt8]] {
        var big: [UInt8] = []
        var line = 0
        while big.count < 700_000 {
            big += Array("Sat Mar 09 14:02:11 ann-mac jamf[\(line)]: Checking for policies triggered by \"recurring check-in\"\n".utf8)
            line += 1
        }
        let files: [String: [UInt8]] = [
            "var/log/jamf.log": big,
            "Users/ann/Library/Logs/Company Portal/com.microsoft.CompanyPortalMac.log": Array("2020-03-09 14:02:11:703 | I | portal\n".utf8),
            "sw_vers.txt": Array("ProductVersion: 14.4\n".utf8),
        ]
        for (path, bytes) in files { try dir.write("tree/" + path, bytes) }
        return files
    }

    @Test(arguments: [
        ("zip", ["zip", "-qr"]),
        ("tar", ["tar", "cf"]),
        ("tar.gz", ["tar", "czf"]),
        ("tgz", ["tar", "czf"]),
        ("tar.bz2", ["tar", "cjf"]),
        ("tar.xz", ["tar", "cJf"]),
    ])
    func everyArchiveFormatYieldsItsMembersByteExact(suffix: String, command: [String]) throws {
        let dir = try TemporaryDirectory()
        let files = try Self.makeTree(in: dir)
        let archive = dir.at("mac-042." + suffix)
        try run(command + [archive, "."], in: dir.at("tree"))
        let result = walk(bundle(archive: archive))
        #expect(result.allErrors.isEmpty)
        #expect(Set(result.sources) == Set(files.keys.map { archive + "!" + $0 }))
        for (path, bytes) in files {
            #expect(result.leaf(archive + "!" + path)?.bytes == bytes, "\(path)")
        }
    }

    @Test func rotatedCompressedLogsInsideAZipKeepTheirNames() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/var/log/jamf.log", "current\n")
        try dir.write("tree/var/log/jamf.log.0", "rotated once\n")
        try dir.write("tree/var/log/system.log.1", "rotated bzip2\n")
        try run(["gzip", "var/log/jamf.log.0"], in: dir.at("tree"))
        try run(["bzip2", "var/log/system.log.1"], in: dir.at("tree"))
        var expected = [
            "var/log/jamf.log": "current\n",
            "var/log/jamf.log.0.gz": "rotated once\n",
            "var/log/system.log.1.bz2": "rotated bzip2\n",
        ]
        if toolExists("xz") {
            try dir.write("tree/var/log/install.log.2", "rotated xz\n")
            try run(["xz", "var/log/install.log.2"], in: dir.at("tree"))
            expected["var/log/install.log.2.xz"] = "rotated xz\n"
        }
        let archive = dir.at("a.zip")
        try run(["zip", "-qr", archive, "var"], in: dir.at("tree"))
        let result = walk(bundle(archive: archive))
        #expect(result.allErrors.isEmpty)
        #expect(Set(result.sources) == Set(expected.keys.map { archive + "!" + $0 }))
        for (path, text) in expected {
            #expect(result.leaf(archive + "!" + path)?.text == text)
        }
    }

    @Test func zipInsideTarGzInsideDirectory() throws {
        let dir = try TemporaryDirectory()
        let portal = "Users/ann/Library/Logs/Company Portal/com.microsoft.CompanyPortalMac.log"
        try dir.write("inner/" + portal, "portal line\n")
        try dir.write("inner/var/log/jamf.log", "jamf line\n")
        try dir.write("outer/placeholder.txt", "outer file\n")
        try run(["zip", "-qr", "../outer/logs.zip", "."], in: dir.at("inner"))
        try FileManager.default.createDirectory(atPath: dir.at("fleet"), withIntermediateDirectories: true)
        try run(["tar", "czf", "../fleet/bundle.tar.gz", "logs.zip", "placeholder.txt"], in: dir.at("outer"))
        try dir.write("fleet/loose.log", "loose\n")

        let (bundles, errors) = planBundles(paths: [dir.at("fleet")])
        #expect(errors.isEmpty)
        #expect(bundles.map(\.name) == [dir.at("fleet"), dir.at("fleet/bundle.tar.gz")])

        let loose = walk(bundles[0])
        #expect(loose.sources == [dir.at("fleet/loose.log")])

        let archive = dir.at("fleet/bundle.tar.gz")
        let result = walk(bundles[1])
        #expect(result.allErrors.isEmpty)
        #expect(result.sources.sorted() == [
            archive + "!logs.zip!" + portal,
            archive + "!logs.zip!var/log/jamf.log",
            archive + "!placeholder.txt",
        ].sorted())
        #expect(result.leaf(archive + "!logs.zip!" + portal)?.text == "portal line\n")
        #expect(result.leaf(archive + "!logs.zip!var/log/jamf.log")?.text == "jamf line\n")
    }

    @Test func modificationDatesAreCarriedThrough() throws {
        let dir = try TemporaryDirectory()
        let when = Date(timeIntervalSince1970: 1_583_762_531)  // 2020-03-09T14:02:11Z
        try dir.write("tree/var/log/jamf.log", "x\n", modified: when)
        try run(["zip", "-qr", "../a.zip", "."], in: dir.at("tree"))
        try run(["tar", "cf", "../a.tar", "."], in: dir.at("tree"))
        let plain = try dir.write("plain.log", "y\n", modified: when)

        for archive in [dir.at("a.zip"), dir.at("a.tar")] {
            let leaf = walk(bundle(archive: archive)).leaf(archive + "!var/log/jamf.log")
            #expect(leaf?.date == when, "\(archive)")
        }
        let file = walk(BundlePlan(name: plain, roots: [.file(path: plain)])).leaves.first
        #expect(file?.date == when)

        var tar = TarBuilder()
        tar.add("jamf.log", "z\n", modified: 1_234_567_890)
        try dir.write("built.tar", tar.archive)
        let built = walk(bundle(archive: dir.at("built.tar"))).leaves.first
        #expect(built?.date == Date(timeIntervalSince1970: 1_234_567_890))
    }

    @Test func plainAndCompressedFilesAreLeavesOfTheFilesBundle() throws {
        let dir = try TemporaryDirectory()
        let plain = try dir.write("jamf.log", "plain\n")
        try dir.write("system.log.1", "compressed\n")
        try run(["bzip2", "system.log.1"], in: dir.path)
        try run(["touch", "empty.log"], in: dir.path)
        try run(["gzip", "empty.log"], in: dir.path)
        let compressed = dir.at("system.log.1.bz2"), empty = dir.at("empty.log.gz")
        let (bundles, _) = planBundles(paths: [plain, compressed, empty])
        let result = walk(try #require(bundles.first))
        #expect(result.allErrors.isEmpty)
        #expect(result.sources == [plain, compressed, empty])
        #expect(result.leaves.map(\.text) == ["plain\n", "compressed\n", ""])
    }

    @Test func directoryEntriesAndSymlinkLoopsAreSkipped() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/a/jamf.log", "a\n")
        try dir.write("logs/b.log", "b\n")
        try FileManager.default.createSymbolicLink(atPath: dir.at("logs/a/loop"), withDestinationPath: "..")
        let result = walk(BundlePlan(name: dir.at("logs"), roots: [.directory(path: dir.at("logs"))]))
        #expect(result.sources == [dir.at("logs/a/jamf.log"), dir.at("logs/b.log")])
    }
}
