import Foundation

struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
}
