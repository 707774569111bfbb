import Foundation
import Testing
import LogscanInput

@Suite struct LimitTests {
    @Test func highlyCompressibleMemberTripsTheRatioLimitAndTheNextMemberIsRead() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/a-bomb.log", [UInt8](repeating: UInt8(ascii: "A"), count: 8 << 20))
        try dir.write("tree/b-after.log", "after\n")
        try run(["zip", "-q", "../bomb.zip", "a-bomb.log", "b-after.log"], in: dir.at("tree"))
        let archive = dir.at("bomb.zip")
        let result = walk(bundle(archive: archive), limits: ArchiveLimits(maxRatio: 100))
        let bomb = try #require(result.leaf(archive + "!a-bomb.log"))
        #expect(bomb.bytes.count < 8 << 20)
        #expect(bomb.readError?.message.contains("--max-ratio") == true)
        #expect(result.leaf(archive + "!b-after.log")?.text == "after\n")
        #expect(result.allErrors.count == 1)

        // Ordinary text is far from the default.
        let normal = walk(bundle(archive: archive), limits: ArchiveLimits(maxRatio: 2000))
        #expect(normal.allErrors.isEmpty)
        #expect(normal.leaf(archive + "!a-bomb.log")?.bytes.count == 8 << 20)
    }

    @Test func compressedBombTripsTheDefaultRatio() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/huge.log", [UInt8](repeating: UInt8(ascii: "A"), count: 8 << 20))
        try run(["bzip2", "huge.log"], in: dir.at("tree"))
        try run(["tar", "cf", "../a.tar", "huge.log.bz2"], in: dir.at("tree"))
        let result = walk(bundle(archive: dir.at("a.tar")))
        let leaf = try #require(result.leaf(dir.at("a.tar") + "!huge.log.bz2"))
        #expect(leaf.readError?.message.contains("--max-ratio") == true)
        #expect(leaf.bytes.count >= 1 << 20 && leaf.bytes.count < 8 << 20)
    }

    /// level1.zip ⊃ level2.zip ⊃ … ⊃ level5.zip ⊃ deep.log, with a shallow.log at every level.
    static func nestedZips(levels: Int) -> [UInt8] {
        var inner: [UInt8] = []
        for level in stride(from: levels, through: 1, by: -1) {
            var zip = ZipBuilder()
            zip.add("shallow-\(level).log", Array("level \(level)\n".utf8))
            if level == levels {
                zip.add("deep.log", Array("deepest\n".utf8))
            } else {
                zip.add("level\(level + 1).zip", inner)
            }
            inner = zip.archive
        }
        return inner
    }

    @Test func deepNestingTripsTheDepthLimit() throws {
        let dir = try TemporaryDirectory()
        let archive = try dir.write("level1.zip", Self.nestedZips(levels: 5))
        let all = walk(bundle(archive: archive))
        #expect(all.allErrors.isEmpty)
        #expect(all.leaf(archive + "!level2.zip!level3.zip!level4.zip!level5.zip!deep.log")?.text == "deepest\n")

        let limited = walk(bundle(archive: archive), limits: ArchiveLimits(maxDepth: 3))
        #expect(limited.sources == [
            archive + "!shallow-1.log",
            archive + "!level2.zip!shallow-2.log",
            archive + "!level2.zip!level3.zip!shallow-3.log",
        ])
        #expect(limited.errors.count == 1)
        #expect(limited.errors.first?.source == archive + "!level2.zip!level3.zip!level4.zip")
        #expect(limited.errors.first?.message.contains("--max-depth") == true)
    }

    @Test func entryCountLimitStopsTheBundle() throws {
        let dir = try TemporaryDirectory()
        var zip = ZipBuilder()
        for index in 0..<10 { zip.add("member-\(index).log", Array("\(index)\n".utf8)) }
        let archive = try dir.write("many.zip", zip.archive)
        let result = walk(bundle(archive: archive), limits: ArchiveLimits(maxEntries: 4))
        #expect(result.sources == (0..<4).map { archive + "!member-\($0).log" })
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("--max-entries") == true)
    }

    @Test func bundleByteLimitStopsTheBundleExactlyAtTheLimit() throws {
        let dir = try TemporaryDirectory()
        var zip = ZipBuilder()
        for index in 0..<4 { zip.add("member-\(index).log", [UInt8](repeating: UInt8(ascii: "x"), count: 1000)) }
        let archive = try dir.write("big.zip", zip.archive)
        let result = walk(bundle(archive: archive), limits: ArchiveLimits(maxBundleBytes: 2500))
        #expect(result.leaves.map(\.bytes.count) == [1000, 1000, 500])
        #expect(result.leaves.last?.readError?.message.contains("--max-bundle-bytes") == true)
        #expect(result.allErrors.count == 1)
    }
}
