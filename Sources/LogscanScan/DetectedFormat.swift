import Foundation
import LogscanRules

/// A detected format: the public name and the shape that drives framing and time parsing.
public struct DetectedFormat: Sendable, Hashable {
    public var format: LogFormat
    public var shape: LogShape
    public init(format: LogFormat, shape: LogShape) { self.format = format; self.shape = shape }
    public init(_ shape: LogShape) { self.format = shape.format; self.shape = shape }
}

// MARK: - Byte helpers (no Foundation, no allocation)
