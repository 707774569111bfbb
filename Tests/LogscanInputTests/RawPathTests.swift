import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport
@testable import LogscanInput

/// File names are bytes: `RawPath` keeps every name's bytes and shows the bad ones.
@Suite struct RawPathTests {
    @Test(arguments: [
        [UInt8]("plain/jamf.log".utf8),
        [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x6C, 0x6F, 0x67],  // Latin-1 "café.log"
        [0xE2, 0x80],  // a cut-off sequence
        [0xF4, 0x8F, 0xBE, 0x80, 0xFF],  // a name holding a stand-in scalar itself, then a bad byte
        [0xED, 0xA0, 0x80],  // a UTF-16 surrogate written as UTF-8
        [0xC3, 0xA9],  // "é" in UTF-8
    ])
    func bytesComeBackExactly(bytes: [UInt8]) {
        let path = RawPath.string(fromBytes: bytes)
        #expect(RawPath.bytes(path) == bytes)
        RawPath.withCString(path) { #expect(Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) == bytes) }
    }

    @Test func randomNamesRoundTripAndDistinctNamesStayDistinct() {
        var random = SeededGenerator(seed: 15)
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 1...12, using: &random)).map { _ in UInt8.random(in: 1...255, using: &random) }
            let path = RawPath.string(fromBytes: bytes)
            #expect(RawPath.bytes(path) == bytes)
            if let other = seen[path] { #expect(other == bytes) }
            seen[path] = bytes
        }
    }

    @Test func badBytesShowEscapedInTextAndReplacedElsewhere() {
        let path = RawPath.string(fromBytes: Array("logs/caf".utf8) + [0xE9] + Array(".log".utf8))
        #expect(TerminalText.escaped(path) == "logs/caf\\xE9.log")
        #expect(RawPath.replacingInvalid(path) == "logs/caf\u{FFFD}.log")
        #expect(RawPath.replacingInvalid("café.log") == "café.log")
    }

    @Test func aLatin1NamedFileIsListedOpenedAndWalked() throws {
        let dir = try TemporaryDirectory()
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".log".utf8)
        let path = RawPath.string(fromBytes: Array(dir.path.utf8) + [0x2F] + name)
        let fd = RawPath.openDescriptor(path, O_WRONLY | O_CREAT | O_CLOEXEC)
        #expect(fd >= 0)
        _ = write(fd, "a line\n", 7)
        close(fd)
        var found: [String] = []
        DirectoryWalk.forEachFile(under: dir.path, report: { Issue.record("\($0)") }) { found.append($0) }
        #expect(found == [path])
        let source = try FileByteSource(path: path)
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        #expect(Array(buffer.prefix(count)) == Array("a line\n".utf8))
    }
}
