// TEMPORARY: replaced by the input layer's ByteSource when that branch lands.
import Foundation
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let message: String
    public init(source: String, message: String) { self.source = source; self.message = message }
    public var description: String { "\(source): \(message)" }
}
