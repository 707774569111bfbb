import CPCRE2

/// An error reported by PCRE2, either while compiling a pattern or while matching.
///
/// Compile errors have a positive `code` and an `offset` into the pattern's UTF-8 bytes.
/// Match errors have a negative `code` and no offset; see ``isLimitExceeded`` for the
/// resource-limit codes a caller usually wants to report per pattern and move on from.
public struct PCRE2Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The PCRE2 error code (positive for compile errors, negative for match errors).
    public let code: Int32
    /// The byte offset into the pattern where compilation failed; nil for match errors.
    public let offset: Int?
    /// PCRE2's own text for `code`, from `pcre2_get_error_message`.
    public let message: String

    /// Creates an error from its parts; PCRE2-produced errors use ``init(code:offset:)``.
    public init(code: Int32, offset: Int? = nil, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// Creates an error whose message is PCRE2's text for `code`.
    init(code: Int32, offset: Int? = nil) {
        self.init(code: code, offset: offset, message: Self.pcre2Message(for: code))
    }

    /// A one-line rendering, e.g. `PCRE2 error 114 at pattern offset 4: missing closing parenthesis`.
    public var description: String {
        if let offset {
            return "PCRE2 error \(code) at pattern offset \(offset): \(message)"
        }
        return "PCRE2 error \(code): \(message)"
    }

    /// PCRE2's match-limit code (`PCRE2_ERROR_MATCHLIMIT`, -47).
    public static let matchLimitCode: Int32 = PCRE2_ERROR_MATCHLIMIT
    /// PCRE2's depth-limit code (`PCRE2_ERROR_DEPTHLIMIT`, -53); interpreter only.
    public static let depthLimitCode: Int32 = PCRE2_ERROR_DEPTHLIMIT
    /// PCRE2's heap-limit code (`PCRE2_ERROR_HEAPLIMIT`, -63); interpreter only.
    public static let heapLimitCode: Int32 = PCRE2_ERROR_HEAPLIMIT
    /// PCRE2's JIT-stack-exhausted code (`PCRE2_ERROR_JIT_STACKLIMIT`, -46); JIT only.
    public static let jitStackLimitCode: Int32 = PCRE2_ERROR_JIT_STACKLIMIT

    /// True when a match gave up because it hit a resource limit (match, depth, heap or JIT stack).
    public var isLimitExceeded: Bool {
        code == Self.matchLimitCode || code == Self.depthLimitCode
            || code == Self.heapLimitCode || code == Self.jitStackLimitCode
    }

    /// PCRE2's message text for an error code, or a generic text if PCRE2 has none.
    static func pcre2Message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { buf in
            pcre2_get_error_message_8(code, buf.baseAddress, buf.count)
        }
        guard length >= 0 else { return "unknown PCRE2 error code \(code)" }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }
}
