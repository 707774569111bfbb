#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An errno, as a typed error.
struct SystemError: Error {
    let code: Int32
}
