import Foundation
import Testing
@testable import LogscanInput

@Suite struct MemberNameTests {
    @Test func oddTarNamesAreShownSafely() throws {
        let dir = try TemporaryDirectory()
        var tar = TarBuilder()
        let names: [([UInt8], String)] = [
            (Array("bad".utf8) + [0xFF, 0xC3] + Array("name.log".utf8), "bad\\xFF\\xC3name.log"),
            (Array("../x".utf8), "../x"),
            (Array("/abs/jamf.log".utf8), "/abs/jamf.log"),
            (Array("ctl\u{1B}[31m\n\t.log".utf8), "ctl\\x1B[31m\\n\\t.log"),
            (Array("./var/log/jamf.log".utf8), "var/log/jamf.log"),
            (Array("\u{202E}gol.exe".utf8), "\\u{202E}gol.exe"),
            (Array("Company Portal/ümlaut.log".utf8), "Company Portal/ümlaut.log"),
        ]
        for (name, _) in names { tar.add(name: name, contents: Array("same\n".utf8)) }
        let archive = try dir.write("odd.tar", tar.archive)
        let result = walk(bundle(archive: archive))
        #expect(result.allErrors.isEmpty)
        #expect(result.sources.map(TerminalText.escaped) == names.map { archive + "!" + $0.1 })
        #expect(result.leaves.allSatisfy { $0.text == "same\n" })
        // Nothing was written beside the archive.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["odd.tar"])
    }

    @Test func zipNamesInUTF8AndInvalidBytesAreShownSafely() throws {
        let dir = try TemporaryDirectory()
        var zip = ZipBuilder()
        zip.add(name: Array("Users/ann/Library/Logs/Company Portal/ümlaut.log".utf8), contents: [0x61], utf8Flag: true)
        zip.add(name: [0x63, 0x61, 0x66, 0x82, 0x2E, 0x6C, 0x6F, 0x67], contents: [0x62])  // CP437 "café.log"
        zip.add(name: Array("../../etc/x".utf8), contents: [0x63])
        let archive = try dir.write("odd.zip", zip.archive)
        let result = walk(bundle(archive: archive))
        #expect(result.allErrors.isEmpty)
        #expect(result.sources.map(TerminalText.escaped) == [
            archive + "!Users/ann/Library/Logs/Company Portal/ümlaut.log",
            archive + "!caf\\x82.log",
            archive + "!../../etc/x",
        ])
        #expect(result.leaves.map(\.text) == ["a", "b", "c"])
    }

    @Test(arguments: [
        ([UInt8]("plain/name.log".utf8), "plain/name.log"),
        ([0x41, 0x80, 0x42], "A\\x80B"),
        ([0x7F, 0x00], "\\x7F\\x00"),
        ([0xC2, 0x85], "\\u{85}"),
        ([0xF0, 0x9F, 0x98, 0x80], "😀"),
        ([0xED, 0xA0, 0x80], "\\xED\\xA0\\x80"),
        ([0x2E, 0x2F], "./"),
    ])
    func displayNameEscapes(bytes: [UInt8], shown: String) {
        #expect(TerminalText.escaped(DisplayName.make(from: bytes)) == shown)
    }
}
