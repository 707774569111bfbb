import Foundation

/// Lets concurrent workers write distinct slots of one buffer.
package struct SharedSlots<T>: @unchecked Sendable {
    // SAFETY: each index is written by one worker only (a loop index, or one handed out by a
    // `Counter`), and read only after every worker is done.
    package let buffer: UnsafeMutableBufferPointer<T>
    package init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
