import Foundation
import Testing
import LogscanInput

@Suite struct TranscodingTests {
    static let text = "jamf[42]: 😀 Ünïcødé ok\r\nline 2 𝄞\n"

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        let units = Array(text.utf16)
        let bom: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        return bom + units.flatMap { unit in
            bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
    }

    static func transcode(_ bytes: [UInt8], chunk: Int = .max, buffer: Int = 64 * 1024) -> [UInt8] {
        let (out, error) = drain(TranscodingSource(MemoryByteSource(bytes, maxReadSize: chunk)), bufferSize: buffer)
        #expect(error == nil)
        return out
    }

    @Test(arguments: [false, true], [(Int.max, 65536), (1, 1), (3, 1), (1, 7), (5, 2)])
    func utf16WithBOMBecomesUTF8(bigEndian: Bool, sizes: (chunk: Int, buffer: Int)) {
        let out = Self.transcode(Self.utf16(Self.text, bigEndian: bigEndian), chunk: sizes.chunk, buffer: sizes.buffer)
        #expect(out == Array(Self.text.utf8))
    }

    @Test func largeUTF16StreamCrossesManyInternalBlocks() {
        let long = String(repeating: Self.text, count: 10_000)
        #expect(Self.transcode(Self.utf16(long, bigEndian: false), chunk: 4097, buffer: 1000) == Array(long.utf8))
    }

    @Test func utf8BOMIsDroppedAndOtherBytesPassThrough() {
        #expect(Self.transcode([0xEF, 0xBB, 0xBF] + Array("abc".utf8), chunk: 1, buffer: 1) == Array("abc".utf8))
        let binary: [UInt8] = [0x00, 0xFF, 0x41, 0xFE]
        #expect(Self.transcode(binary, chunk: 1) == binary)
        #expect(Self.transcode([0xFF]) == [0xFF])
        #expect(Self.transcode([]) == [])
        #expect(Self.transcode([0xEF, 0xBB]) == [0xEF, 0xBB])
    }

    @Test func invalidUTF16BecomesReplacementCharacters() {
        let replacement = Array("\u{FFFD}".utf8)
        // A lone low surrogate, a high surrogate followed by "A", and an odd trailing byte.
        let input: [UInt8] = [0xFF, 0xFE, 0x00, 0xDC, 0x3D, 0xD8, 0x41, 0x00, 0x42]
        #expect(Self.transcode(input, chunk: 1, buffer: 1) == replacement + replacement + [0x41] + replacement)
        // A high surrogate at the very end.
        #expect(Self.transcode([0xFE, 0xFF, 0xD8, 0x3D]) == replacement)
        // Only the BOM.
        #expect(Self.transcode([0xFF, 0xFE]) == [])
    }

    @Test func utf16MemberInsideAnArchiveIsTranscoded() throws {
        let dir = try TemporaryDirectory()
        var tar = TarBuilder()
        tar.add(name: Array("QueryDeviceInformation.txt".utf8), contents: Self.utf16(Self.text, bigEndian: false))
        try dir.write("src/x.tar", tar.archive)
        try run(["gzip", "x.tar"], in: dir.at("src"))
        let archive = dir.at("src/x.tar.gz")
        let result = walk(bundle(archive: archive))
        #expect(result.leaf(archive + "!QueryDeviceInformation.txt")?.text == Self.text)
    }
}
