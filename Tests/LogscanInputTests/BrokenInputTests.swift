import Foundation
import Testing
import TestSupport
@testable import LogscanInput

@Suite struct BrokenInputTests {
    /// Text that deflates to well over one libarchive block, so a cut lands inside a member.
    static func bigLog(lines: Int) -> [UInt8] {
        var generator = SeededGenerator()
        return Array((0..<lines).map { "line \($0) \(generator.next() as UInt64) \(generator.next() as UInt64)\n" }.joined().utf8)
    }

    @Test func truncatedZipAndCorruptGzAmongGoodInputs() throws {
        let dir = try TemporaryDirectory()
        let big = Self.bigLog(lines: 40_000)
        try dir.write("tree/var/log/first.log", "first\n")
        try dir.write("tree/var/log/jamf.log", big)
        try run(["zip", "-q", "../whole.zip", "var/log/first.log", "var/log/jamf.log"], in: dir.at("tree"))
        let whole = try dir.read("whole.zip")
        try dir.write("fleet/mac-3.zip", Array(whole.prefix(whole.count / 2)))
        try dir.write("fleet/good.log", "good\n")
        try dir.write("fleet/z.log", "last\n")
        try dir.write("fleet/jamf.log.0", "rotated\n")
        try run(["gzip", "fleet/jamf.log.0"], in: dir.path)
        var gz = try dir.read("fleet/jamf.log.0.gz")
        for index in 10..<gz.count - 8 { gz[index] ^= 0x5A }  // mangle the deflate data
        try dir.write("fleet/jamf.log.0.gz", gz)

        let (bundles, planErrors) = planBundles(paths: [dir.at("fleet")])
        #expect(planErrors.isEmpty)
        #expect(bundles.map(\.name) == [dir.at("fleet"), dir.at("fleet/mac-3.zip")])

        let loose = walk(bundles[0])
        #expect(loose.leaf(dir.at("fleet/good.log"))?.text == "good\n")
        #expect(loose.leaf(dir.at("fleet/z.log"))?.text == "last\n")
        #expect(loose.allErrors.count == 1)
        let gzError = try #require(loose.allErrors.first)
        #expect(gzError.source == dir.at("fleet/jamf.log.0.gz"))
        #expect(gzError.message.contains("gzip"))

        let zipPath = dir.at("fleet/mac-3.zip")
        let truncated = walk(bundles[1])
        #expect(truncated.leaf(zipPath + "!var/log/first.log")?.text == "first\n")
        let jamf = try #require(truncated.leaf(zipPath + "!var/log/jamf.log"))
        #expect(jamf.bytes.count > 0 && jamf.bytes.count < big.count)
        #expect(Array(big.prefix(jamf.bytes.count)) == jamf.bytes)
        #expect(truncated.allErrors.count == 1)
        let zipError = try #require(jamf.readError)
        #expect(zipError.source == zipPath + "!var/log/jamf.log")
        #expect(zipError.message.hasPrefix("truncated zip archive: "))
    }

    @Test func corruptMemberInTheMiddleOfAZipOnDiskThenTheNextMemberIsRead() throws {
        let dir = try TemporaryDirectory()
        var state: UInt64 = 42
        let lines = (0..<100_000).map { index -> String in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return "line \(index) \(String(state, radix: 16))\n"
        }
        try dir.write("tree/a.log", lines.joined())
        try dir.write("tree/b.log", "after\n")
        try run(["zip", "-q", "../good.zip", "a.log", "b.log"], in: dir.at("tree"))
        var bytes = try dir.read("good.zip")
        for index in bytes.count / 2..<bytes.count / 2 + 64 { bytes[index] ^= 0xA5 }
        let archive = try dir.write("mid.zip", bytes)
        let result = walk(bundle(archive: archive))
        #expect(result.sources == [archive + "!a.log", archive + "!b.log"])
        #expect(result.leaf(archive + "!b.log")?.text == "after\n")
        #expect(result.allErrors.count == 1)
        #expect(result.leaf(archive + "!a.log")?.readError?.message.contains("zip") == true)
    }

    @Test func truncatedTarGzKeepsWhatCameBefore() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/a.log", "a\n")
        try dir.write("tree/b.log", Self.bigLog(lines: 40_000))
        try run(["tar", "czf", "../whole.tgz", "a.log", "b.log"], in: dir.at("tree"))
        let whole = try dir.read("whole.tgz")
        let archive = try dir.write("cut.tgz", Array(whole.prefix(whole.count / 2)))
        let result = walk(bundle(archive: archive))
        #expect(result.leaf(archive + "!a.log")?.text == "a\n")
        #expect(result.allErrors.count == 1)
        #expect(result.leaf(archive + "!b.log")?.readError?.message.hasPrefix("truncated tar.gz archive: ") == true)
    }

    @Test func corruptMemberInsideNestedArchiveDoesNotStopTheParent() throws {
        let dir = try TemporaryDirectory()
        try dir.write("inner/x.log", Self.bigLog(lines: 40_000))
        try run(["zip", "-qr", "../inner.zip", "."], in: dir.at("inner"))
        let inner = try dir.read("inner.zip")
        var tar = TarBuilder()
        tar.add(name: Array("broken.zip".utf8), contents: Array(inner.prefix(inner.count / 2)))
        tar.add("after.log", "after\n")
        let archive = try dir.write("outer.tar", tar.archive)
        let result = walk(bundle(archive: archive))
        #expect(result.leaf(archive + "!after.log")?.text == "after\n")
        #expect(result.allErrors.count == 1)
        #expect(result.allErrors.first?.source == archive + "!broken.zip!x.log")
    }

    @Test func encryptedMembersAreReportedAndTheOthersRead() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/secret.log", "secret\n")
        try dir.write("tree/open.log", "open\n")
        try run(["zip", "-q", "-P", "pw", "../a.zip", "secret.log"], in: dir.at("tree"))
        try run(["zip", "-q", "../a.zip", "open.log"], in: dir.at("tree"))
        let archive = dir.at("a.zip")
        let result = walk(bundle(archive: archive))
        #expect(result.sources == [archive + "!open.log"])
        #expect(result.leaves.first?.text == "open\n")
        #expect(result.errors == [InputError(source: archive + "!secret.log",
                                             message: "encrypted member: skipped (logscan cannot decrypt it)")])
    }

    @Test func garbageWithArchiveMagicIsAnError() throws {
        let dir = try TemporaryDirectory()
        let archive = try dir.write("fake.zip", Array("PK\u{03}\u{04}this is not a zip at all".utf8))
        let result = walk(bundle(archive: archive))
        #expect(result.leaves.isEmpty)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.source.hasPrefix(archive) == true)
    }

    @Test func aGzipLogThatStartsWithZerosIsALogNotATar() throws {
        let dir = try TemporaryDirectory()
        let content = [UInt8](repeating: 0, count: 600) + Array("line one\nline two\n".utf8)
        try dir.write("src/crashed.log", content)
        try run(["gzip", "crashed.log"], in: dir.at("src"))
        let path = dir.at("src/crashed.log.gz")
        let result = walk(BundlePlan(name: path, roots: [.file(path: path)]))
        #expect(result.allErrors.isEmpty, "\(result.allErrors)")
        #expect(result.leaf(path)?.text == "line one\nline two\n")
        #expect(try CompressedStream.isArchiveFile(FileByteSource(path: path)) == false)
        #expect(planBundles(paths: [path]).bundles == [BundlePlan(name: path, roots: [.file(path: path)])])
    }

    @Test func aTarIsKnownByItsHeaderNotByZeros() {
        #expect(ContentKind(prefix: [UInt8](repeating: 0, count: 512)) == .plain)
        var tar = TarBuilder()
        tar.add(name: Array("a.log".utf8), contents: Array("x\n".utf8))
        var header = Array(tar.archive.prefix(512))
        #expect(ContentKind(prefix: header) == .tar)
        // An old (v7) tar has no "ustar" magic: its checksum tells it.
        header.replaceSubrange(257..<265, with: [UInt8](repeating: 0, count: 8))
        header.replaceSubrange(148..<156, with: Array("        ".utf8))
        let sum = header.reduce(0) { $0 + Int($1) }
        header.replaceSubrange(148..<155, with: Array(String(format: "%06o", sum).utf8) + [0])
        #expect(ContentKind(prefix: header) == .tar)
        header[0] ^= 1  // the checksum no longer adds up
        #expect(ContentKind(prefix: header) == .plain)
    }

    @Test func libarchiveWordingAlwaysComesWithWhatWasDone() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/a.log", "a\n")
        try run(["tar", "czf", "../x.tgz", "a.log"], in: dir.at("tree"))
        let whole = try dir.read("x.tgz")
        let archive = try dir.write("cut.tgz", Array(whole.prefix(20)))
        let result = walk(bundle(archive: archive))
        #expect(!result.allErrors.isEmpty)
        for error in result.allErrors {
            #expect(!error.message.contains("INTERNAL ERROR"), "\(error)")
            #expect(error.message.contains("kept") || error.message.contains("could be read")
                    || error.message.contains("skipped"), "\(error)")
        }
    }
}
