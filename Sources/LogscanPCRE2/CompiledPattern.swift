import CPCRE2
import Foundation

/// Options that change how a pattern is compiled.
public struct PatternOptions: OptionSet, Sendable {
    /// The raw bit set; bits are logscan's own, not PCRE2's.
    public let rawValue: UInt32

    /// Creates an option set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Case-insensitive matching (`PCRE2_CASELESS`); Unicode-aware because patterns are UTF.
    public static let caseless = PatternOptions(rawValue: 1 << 0)

    /// The PCRE2 compile option bits for this set.
    var pcre2Bits: UInt32 {
        var bits: UInt32 = 0
        if contains(.caseless) { bits |= PCRE2_CASELESS }
        return bits
    }
}

/// A pattern compiled once (and JIT-compiled when possible), shareable across threads.
///
/// JIT compilation waits for the pattern's first match: it costs far more than compiling
/// (about 240,000 instructions for a rule pattern), and most of a rule set never runs on a
/// given log (the prefilter lets no line through, or the rule is for another format). A
/// pattern matches the same with and without JIT; it is JIT-compiled before it matches at all,
/// so every match of a pattern takes the same path.
///
/// Patterns are compiled with `PCRE2_UTF | PCRE2_MATCH_INVALID_UTF`: the pattern is UTF-8 and
/// subjects may hold any bytes (invalid UTF-8 and NUL included); invalid sequences never
/// match a character but cannot crash or derail matching of the valid text around them.
/// Match with a per-thread ``Matcher``.
// SAFETY: all state is `let`; the pcre2_code is read-only after init except for its JIT code,
// which `JITState` adds once under its lock before any match (see `Matcher.usesJIT`).
public final class CompiledPattern: @unchecked Sendable {
    /// The pattern text as given to ``init(_:options:)``.
    public let source: String
    /// True when PCRE2 JIT-compiled the pattern; false means the interpreter is used.
    /// Asking JIT-compiles the pattern if that has not happened yet.
    public var isJITCompiled: Bool { jit.compiled(code) }
    /// Whether the pattern was JIT-compiled, once something asked for it (first match);
    /// shared by every handle on the same code.
    let jit: JITState
    /// A number no other pattern of this process has (thread copies share their original's):
    /// a `Matcher` remembers by it which patterns it has seen JIT-compiled.
    let serial: Int
    /// The number of capture groups, not counting group 0 (the whole match).
    public let captureCount: Int
    /// Named group -> group number; for duplicate names (`(?J)`), the lowest number.
    public let captureNames: [String: Int]

    /// Every group number for each name, ascending (more than one only with `(?J)`).
    let groupNumbersByName: [String: [Int]]
    /// The compiled code; owned by this object and freed in deinit (for a thread's copy, by
    /// `owner`, which the copy keeps alive).
    let code: OpaquePointer
    private let owner: CompiledPattern?

    /// Compiles `pattern`, then JIT-compiles it, falling back to the interpreter if JIT fails.
    ///
    /// - Throws: ``PCRE2Error`` with PCRE2's message and the byte offset in the pattern.
    public convenience init(_ pattern: String, options: PatternOptions = []) throws(PCRE2Error) {
        try self.init(pattern, options: options, jit: true)
    }

    /// Compiles `pattern`; `jit: false` skips JIT so tests can exercise the interpreter path.
    init(_ pattern: String, options: PatternOptions, jit: Bool) throws(PCRE2Error) {
        source = pattern
        // NUL-terminate so the pointer is never nil, even for an empty pattern; the length
        // is passed explicitly, so a NUL inside the pattern is just a literal NUL.
        var bytes = Array(pattern.utf8)
        let length = bytes.count
        bytes.append(0)
        var errorCode: Int32 = 0
        var errorOffset = 0
        let flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | options.pcre2Bits
        let compiled = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress, length, flags, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw PCRE2Error(code: errorCode, offset: errorOffset)
        }
        code = compiled
        self.jit = JITState(wanted: jit)
        serial = JITState.nextSerial()

        var groups: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &groups)
        captureCount = Int(groups)
        groupNumbersByName = Self.readNameTable(compiled)
        captureNames = groupNumbersByName.compactMapValues(\.first)
        owner = nil
    }

    private init(sharing other: CompiledPattern) {
        source = other.source
        jit = other.jit
        serial = other.serial
        captureCount = other.captureCount
        captureNames = other.captureNames
        groupNumbersByName = other.groupNumbersByName
        code = other.code
        owner = other.owner ?? other
    }

    /// Another handle on the same compiled code, for one thread. Matching retains and releases
    /// the pattern object; when threads share one, its reference count bounces between cores
    /// on every candidate line.
    public func threadCopy() -> CompiledPattern { CompiledPattern(sharing: self) }

    deinit {
        if owner == nil { pcre2_code_free_8(code) }
    }

    /// JIT-compiles on first use, once per compiled code.
    final class JITState: @unchecked Sendable {
        // SAFETY: `state` is read and written only under `lock`.
        private let lock = NSLock()
        /// nil: not tried yet; then whether JIT compilation succeeded.
        private var state: Bool?

        init(wanted: Bool) { state = wanted ? nil : false }

        /// Whether JIT compilation was tried (or not wanted), without trying it.
        var settled: Bool {
            lock.lock()
            defer { lock.unlock() }
            return state != nil
        }

        /// Whether `code` has JIT code, compiling it the first time. The lock also makes the
        /// JIT code written by another thread visible to this one.
        func compiled(_ code: OpaquePointer) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if let state { return state }
            // JIT failure (unsupported platform, no executable memory, ...) is not an error:
            // pcre2_match then uses the interpreter, with the same results and limits.
            let done = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0
            state = done
            return done
        }

        private static let serialLock = NSLock()
        nonisolated(unsafe) private static var serials = 0

        static func nextSerial() -> Int {
            serialLock.lock()
            defer { serialLock.unlock() }
            serials += 1
            return serials - 1
        }
    }

    /// Reads PCRE2's name table: entries of a 2-byte big-endian group number then a NUL-terminated name.
    private static func readNameTable(_ code: OpaquePointer) -> [String: [Int]] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        guard count > 0 else { return [:] }
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table else { return [:] }
        var result: [String: [Int]] = [:]
        for index in 0..<Int(count) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            let name = String(cString: entry + 2)
            result[name, default: []].append(number)
        }
        return result.mapValues { $0.sorted() }
    }
}
