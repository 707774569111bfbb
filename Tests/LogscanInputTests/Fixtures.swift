import Foundation
import LogscanInput

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/logscan-input-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `relative` inside this directory.
    func at(_ relative: String) -> String { path + "/" + relative }

    /// Writes a file, creating its directories; sets its modification time when given.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8], modified: Date? = nil) throws -> String {
        let full = at(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        if let modified {
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: full)
        }
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String, modified: Date? = nil) throws -> String {
        try write(relative, Array(text.utf8), modified: modified)
    }

    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: at(relative))))
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    let description: String
}

/// Whether `tool` is on the PATH (stock macOS has no `xz`, for one).
func toolExists(_ tool: String) -> Bool {
    (try? run(["sh", "-c", "command -v \(tool)"], in: "/")) != nil
}

/// Runs a command-line tool (zip, tar, gzip, …) in `directory`; throws when it fails.
func run(_ arguments: [String], in directory: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ToolFailure(description: "\(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
    }
}

/// What a walk produced: each leaf fully read, and every error from either side.
struct WalkResult {
    struct Leaf {
        let source: String
        let bytes: [UInt8]
        let date: Date?
        /// The error `read` threw, if it did.
        let readError: InputError?
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    var leaves: [Leaf] = []
    /// Errors passed to `enumerateLeaves`'s `error` closure.
    var errors: [InputError] = []

    var sources: [String] { leaves.map(\.source) }
    func leaf(_ source: String) -> Leaf? { leaves.first { $0.source == source } }
    /// Every error, reported or thrown.
    var allErrors: [InputError] { errors + leaves.compactMap(\.readError) }
}

/// Reads the stream to its end (or its error) with a buffer of `bufferSize` bytes.
func drain(_ stream: ByteSource, bufferSize: Int = 64 * 1024) -> (bytes: [UInt8], error: InputError?) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    defer { buffer.deallocate() }
    var bytes: [UInt8] = []
    while true {
        do {
            let count = try stream.read(into: buffer)
            if count == 0 { return (bytes, nil) }
            bytes += buffer[..<count]
        } catch {
            return (bytes, error)
        }
    }
}

func walk(_ bundle: BundlePlan, limits: ArchiveLimits = ArchiveLimits()) -> WalkResult {
    var result = WalkResult()
    enumerateLeaves(of: bundle, limits: limits, visit: { leaf in
        let (bytes, error) = drain(leaf.stream)
        result.leaves.append(.init(source: leaf.source, bytes: bytes, date: leaf.modificationDate, readError: error))
    }, error: { result.errors.append($0) })
    return result
}

/// A bundle holding one archive file, as `planBundles` makes it.
func bundle(archive path: String) -> BundlePlan {
    BundlePlan(name: path, roots: [.archive(path: path)])
}
