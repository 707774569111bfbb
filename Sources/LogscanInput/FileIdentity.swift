#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
}
