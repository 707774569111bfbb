import Foundation
import LogscanInput

/// Progress of a batch scan, for the terminal progress line.
public struct ScanProgress: Sendable {
    public var bundlesDone: Int
    public var bundlesTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var elapsed: TimeInterval
}
