import Foundation
import Testing

/// The self-contained release binary (scripts/build-release), checked by scripts/check-release:
/// no Swift, PCRE2 or libarchive needed at run time, and a lone copy in an empty directory
/// diagnoses a sample. Building it takes minutes, so the suite checks it only when it exists
/// (`.build-release/release/logscan`, or the path in LOGSCAN_RELEASE_BINARY); the CI workflow
/// builds it and runs the same script.
@Suite struct ReleaseBinaryTests {
    static let binary: String? = {
        if let path = ProcessInfo.processInfo.environment["LOGSCAN_RELEASE_BINARY"] { return path }
        let built = Harness.packageRoot.appendingPathComponent(".build-release/release/logscan").path
        return FileManager.default.isExecutableFile(atPath: built) ? built : nil
    }()

    @Test(.enabled(if: binary != nil, "no release binary: run scripts/build-release first"))
    func releaseBinaryIsSelfContained() throws {
        let binary = try #require(Self.binary)
        let process = Process()
        process.executableURL = Harness.packageRoot.appendingPathComponent("scripts/check-release")
        process.arguments = [binary]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)\n\(errors)")
        #expect(text.hasSuffix("ok\n"))
        #if os(Linux)
        #expect(text.contains("libc.so"))
        for library in ["libswift", "libFoundation", "libpcre2", "libarchive", "libicu"] {
            #expect(!text.contains(library), "\(library) is still linked")
        }
        #endif
    }
}
