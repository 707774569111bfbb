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
        // Other bytes pass through, but for NULs, which are skipped.
        let binary: [UInt8] = [0x00, 0xFF, 0x41, 0xFE]
        #expect(Self.transcode(binary, chunk: 1) == [0xFF, 0x41, 0xFE])
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

    static func units(_ text: String, bigEndian: Bool) -> [UInt8] {
        Array(utf16(text, bigEndian: bigEndian).dropFirst(2))
    }

    @Test(arguments: [false, true], [(Int.max, 65536), (1, 1), (7, 3)])
    func utf16WithoutAMarkIsRecognisedByItsZeros(bigEndian: Bool, sizes: (chunk: Int, buffer: Int)) {
        let text = "2020-04-27 03:07:12.118 portal: 😀 Ünïcødé ok\r\nline 2 𝄞\n"
        #expect(Self.transcode(Self.units(text, bigEndian: bigEndian), chunk: sizes.chunk, buffer: sizes.buffer) == Array(text.utf8))
    }

    /// What a decoder hands out for `bytes` pushed in pieces of `piece` bytes (follow mode).
    static func pushed(_ bytes: [UInt8], piece: Int, decoder: LogDecoder = LogDecoder()) -> [UInt8] {
        var out: [UInt8] = []
        var at = 0
        while at < bytes.count {
            let end = min(bytes.count, at + piece)
            bytes[at..<end].withUnsafeBytes { decoder.push($0) { out += $0 } }
            at = end
        }
        decoder.finish { out += $0 }
        return out
    }

    @Test func nulRunsAreSkippedAndCountedWhetherPulledOrPushed() {
        let text = Array("first line\n".utf8) + [UInt8](repeating: 0, count: 4096) + Array("after the crash\n".utf8)
            + [0, 0] + Array("x\n".utf8)
        let expected = Array("first line\nafter the crash\nx\n".utf8)
        let source = TranscodingSource(MemoryByteSource(text, maxReadSize: 1000))
        let (out, error) = drain(source, bufferSize: 333)
        #expect(error == nil)
        #expect(out == expected)
        #expect(source.decoder.nulBytesSkipped == 4098)
        #expect(source.decoder.storedBytes == Int64(text.count))
        for piece in [1, 5, 4096, 100_000] {
            let decoder = LogDecoder()
            #expect(Self.pushed(text, piece: piece, decoder: decoder) == expected, "pieces of \(piece)")
            #expect(decoder.nulBytesSkipped == 4098)
        }
        // In UTF-16 a NUL is two stored bytes.
        let wide = Self.utf16("a\u{0}\u{0}b\n", bigEndian: false)
        let decoder = LogDecoder()
        #expect(Self.pushed(wide, piece: 3, decoder: decoder) == Array("ab\n".utf8))
        #expect(decoder.nulBytesSkipped == 4)
    }

    @Test func theEncodingIsJudgedOnTextNotOnZeros() {
        // A log that starts with a block of zeros is UTF-8 (its NULs skipped), not UTF-16.
        let crashed = [UInt8](repeating: 0, count: 5000) + Array("2020-04-27 line\n".utf8)
        let decoder = LogDecoder()
        #expect(Self.pushed(crashed, piece: 700, decoder: decoder) == Array("2020-04-27 line\n".utf8))
        #expect(decoder.encoding == .utf8)
        // Little-endian integers are zeros every other byte too, but not printable text.
        var structs: [UInt8] = []
        for i in 0..<500 { structs += [UInt8(i % 7 + 1), 0, UInt8(i % 5), 0] }
        let binary = LogDecoder()
        _ = Self.pushed(structs, piece: 64, decoder: binary)
        #expect(binary.encoding == .utf8)
        // A short first write is not held back once a line has ended.
        let early = LogDecoder()
        var got: [UInt8] = []
        Array("ok\n".utf8).withUnsafeBytes { early.push($0) { got += $0 } }
        #expect(got == Array("ok\n".utf8))
        let wide = LogDecoder()
        got = []
        Self.units("ok\n", bigEndian: true).withUnsafeBytes { wide.push($0) { got += $0 } }
        #expect(got == Array("ok\n".utf8))
        #expect(wide.encoding == .utf16(bigEndian: true))
    }
}
