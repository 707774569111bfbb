/// A problem with one input: a path that cannot be read, a broken archive, a safety limit reached.
///
/// The walk reports it and goes on with the other inputs.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Display path through archives, e.g. `fleet/mac-1.zip!var/log/jamf.log`.
    public let source: String
    /// What went wrong, for an admin; for a safety limit it names the flag that changes it.
    public let message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
