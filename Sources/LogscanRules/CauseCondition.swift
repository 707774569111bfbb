import LogscanSupport

/// One kind of `when` condition of a cause (`gap`, `span`, `repeat`, `distinct`, `together`):
/// a type that reads its own keys from a cause file, evaluates itself over a bundle's events,
/// follows a live session event by event (`ConditionTracker`), and says what it means.
///
/// Adding a kind: a new type conforming to this protocol, in its own file, and its name in
/// `ConditionKinds.all`. Nothing else switches over the kinds.
public protocol CauseCondition: Sendable, CustomStringConvertible {
    /// The key that names the kind in a cause file.
    static var kind: String { get }
    /// Every key its mapping may hold; any other is a `rules check` error.
    static var keys: [String] { get }
    /// Reads the condition from its mapping; nil when it is incomplete (the reader then holds
    /// the diagnostic).
    init?(reading reader: inout ConditionReader)
    /// The signals it reads (each must be carried by some rule).
    var signalNames: [String] { get }
    /// Named captures it reads from its events (a scan extracts them with every hit).
    var captureNames: [String] { get }
    /// The evidence and a sentence when it holds over one bundle's events, in timeline order.
    func evaluate<Events: ConditionEvents, Edge>(_ input: ConditionInput<Events, Edge>) -> ConditionResult<Edge>?
    /// Its running state for a live session, which takes events one at a time.
    func makeTracker() -> any ConditionTracker
    /// Whether `other` is the same condition (same kind and parameters).
    func isSame(as other: any CauseCondition) -> Bool
}

extension CauseCondition {
    public var captureNames: [String] { [] }
}

extension CauseCondition where Self: Equatable {
    public func isSame(as other: any CauseCondition) -> Bool { (other as? Self) == self }
}
