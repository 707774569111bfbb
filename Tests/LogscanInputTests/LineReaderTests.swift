import Foundation
import Testing
@testable import LogscanInput

/// A source that hands out at most `step` bytes per read, to put line ends at every position.
final class SteppedSource: ByteSource {
    let bytes: [UInt8]
    let step: Int
    var offset = 0
    init(_ bytes: [UInt8], step: Int) { self.bytes = bytes; self.step = step }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(step, buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Collects lines the way the scanner sees them.
func collectLines(_ data: [UInt8], bufferSize: Int, maxLine: Int, step: Int) throws -> (lines: [[UInt8]], kinds: [LineReader.ChunkKind], reader: LineReader) {
    let reader = LineReader(bufferSize: bufferSize, maxLineLength: maxLine)
    var lines: [[UInt8]] = []
    var kinds: [LineReader.ChunkKind] = []
    try reader.readAll(from: SteppedSource(data, step: step)) { chunk, kind in
        if kind == .lines {
            var start = 0
            for i in 0..<chunk.count where chunk[i] == 0x0A {
                lines.append(Array(chunk[start..<i])); kinds.append(.lines); start = i + 1
            }
            #expect(start == chunk.count, "a .lines chunk ends with a terminator")
        } else {
            lines.append(Array(chunk)); kinds.append(kind)
        }
    }
    return (lines, kinds, reader)
}

@Suite struct LineReaderTests {
    static let text = Array("alpha\nbeta gamma\r\n\nlast line without newline".utf8)

    @Test(arguments: 1...12)
    func everySplitPositionGivesTheSameLines(step: Int) throws {
        // A 16-byte buffer (cap 15) forces the tail to roll forward at every position.
        let (lines, kinds, reader) = try collectLines(Self.text, bufferSize: 16, maxLine: 15, step: step)
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["alpha", "beta gamma\r", "", "last line witho"])
        #expect(kinds == [.lines, .lines, .lines, .truncated])
        #expect(reader.bytesRead == Int64(Self.text.count))
        #expect(reader.truncatedLines == 1)
    }

    @Test func lastLineWithoutNewlineIsUnterminated() throws {
        let data = Array("one\ntwo".utf8)
        let (lines, kinds, _) = try collectLines(data, bufferSize: 64, maxLine: 32, step: 3)
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["one", "two"])
        #expect(kinds == [.lines, .unterminated])
    }

    @Test(arguments: [1, 7, 64, 4096])
    func longLinesAreCutAndTheRestSkipped(step: Int) throws {
        var data = Array("short\n".utf8)
        data += [UInt8](repeating: 0x41, count: 1000) + [0x0A]
        data += Array("after\n".utf8)
        let (lines, kinds, reader) = try collectLines(data, bufferSize: 128, maxLine: 100, step: step)
        #expect(lines.count == 3)
        #expect(lines[1] == [UInt8](repeating: 0x41, count: 100))
        #expect(kinds[1] == .truncated)
        #expect(String(decoding: lines[2], as: UTF8.self) == "after")
        #expect(reader.truncatedLines == 1)
        #expect(reader.bytesRead == Int64(data.count))
    }

    /// With a buffer larger than the cap, a long line that arrives whole is cut too, and a line
    /// exactly as long as the cap is not: whether a line is cut never depends on where the
    /// reads fell (a log scanned in parts must read as it does whole).
    @Test(arguments: [1, 7, 64, 99, 100, 101, 4096])
    func longLinesAreCutWhereverTheReadsFall(step: Int) throws {
        var data = Array("short\n".utf8)
        data += [UInt8](repeating: 0x41, count: 150) + [0x0A]
        data += [UInt8](repeating: 0x42, count: 100) + [0x0A]
        data += Array("after\n".utf8)
        let (lines, kinds, reader) = try collectLines(data, bufferSize: 4096, maxLine: 100, step: step)
        #expect(lines == [Array("short".utf8), [UInt8](repeating: 0x41, count: 100), [UInt8](repeating: 0x42, count: 100),
                          Array("after".utf8)])
        #expect(kinds == [.lines, .truncated, .lines, .lines])
        #expect(reader.truncatedLines == 1)
        #expect(reader.bytesRead == Int64(data.count))
    }

    @Test func nulAndInvalidBytesPassThrough() throws {
        let data: [UInt8] = [0x61, 0x00, 0xFF, 0xFE, 0x62, 0x0A, 0xC3, 0x28, 0x0A]
        let (lines, _, _) = try collectLines(data, bufferSize: 64, maxLine: 32, step: 2)
        #expect(lines == [[0x61, 0x00, 0xFF, 0xFE, 0x62], [0xC3, 0x28]])
    }

    @Test func pushThenIdleFlushHandsTheLineOutOnce() throws {
        let reader = LineReader(bufferSize: 64, maxLineLength: 32)
        var seen: [String] = []
        let body: (UnsafeRawBufferPointer, LineReader.ChunkKind) -> Void = { chunk, _ in
            seen += String(decoding: chunk, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init).filter { !$0.isEmpty }
        }
        try Array("first\nsec".utf8).withUnsafeBytes { try reader.push($0, body) }
        #expect(seen == ["first"])
        #expect(reader.hasUnterminatedLine)
        try reader.flushUnterminated(body)
        #expect(seen == ["first", "sec"])
        // The rest of the flushed line, when its terminator arrives, is not handed out again.
        try Array("ond\nthird\n".utf8).withUnsafeBytes { try reader.push($0, body) }
        #expect(seen == ["first", "sec", "third"])
    }

    @Test func memoryDoesNotGrowWithInput() throws {
        // 8 MiB through a 4 KiB buffer: every line comes out, the buffer never grows.
        let line = Array("2025-08-30 17:18:28.301 | aad | 22168 | AADTokenFactory.swift: 929 (f()) | message\n".utf8)
        let count = (8 << 20) / line.count
        var data: [UInt8] = []
        data.reserveCapacity(count * line.count)
        for _ in 0..<count { data += line }
        var lines = 0
        let reader = LineReader(bufferSize: 4096, maxLineLength: 1024)
        try reader.readAll(from: SteppedSource(data, step: 65_536)) { chunk, _ in
            for b in chunk where b == 0x0A { lines += 1 }
        }
        #expect(lines == count)
        #expect(reader.bytesRead == Int64(data.count))
    }
}
