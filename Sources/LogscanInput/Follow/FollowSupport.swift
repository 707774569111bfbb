#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A directory's entry names in byte order, or the errno.
func followListDirectory(_ path: String) -> Result<[String], FollowErrno> {
    listDirectory(path).mapError { FollowErrno(code: $0.code) }
}

/// Seconds on a monotonic clock.
func followMonotonicNow() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// `pread(2)` retried on EINTR: bytes read, 0 at the end, -1 with errno set.
func followPread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) -> Int {
    while true {
        let count = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
        if count >= 0 || errno != EINTR { return count }
    }
}

/// `read(2)` retried on EINTR.
func followRead(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
        #if canImport(Darwin)
        let count = Darwin.read(fd, buffer.baseAddress, buffer.count)
        #elseif canImport(Musl)
        let count = Musl.read(fd, buffer.baseAddress, buffer.count)
        #else
        let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
        #endif
        if count >= 0 || errno != EINTR { return count }
    }
}
