#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whether the first bytes of a file show a compressed stream or an archive (not followed), a
/// plain file, or not yet enough to tell (a prefix of a signature).
enum FollowSniff {
    case plain, packed, undecided

    private static let signatures: [[UInt8]] = [
        [0x1F, 0x8B], Array("BZh".utf8), [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00],
        [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06],
    ]

    static func judge(_ prefix: [UInt8]) -> FollowSniff {
        if prefix.isEmpty { return .undecided }
        let kind = ContentKind(prefix: prefix)
        if kind.isArchive || kind.isCompressed { return .packed }
        if prefix.count < 6, signatures.contains(where: { $0.count > prefix.count && $0.starts(with: prefix) }) {
            return .undecided
        }
        return .plain
    }
}
