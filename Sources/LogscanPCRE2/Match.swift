/// One match: the byte ranges of the whole match and of each capture group.
public struct Match: Sendable, Equatable {
    /// The byte range of the whole match in the subject (same as `groups[0]`).
    public let range: Range<Int>
    /// Byte ranges by group number; index 0 is the whole match, nil means the group did not participate.
    ///
    /// Always has `captureCount + 1` elements for the pattern that produced it.
    public let groups: [Range<Int>?]

    /// Creates a match; `groups[0]` must be `range`.
    public init(range: Range<Int>, groups: [Range<Int>?]) {
        self.range = range
        self.groups = groups
    }

    /// The byte range of the named group, or nil if the name is unknown or the group did not participate.
    ///
    /// With duplicate names (`(?J)`), this is the lowest-numbered group of that name that participated.
    public func range(named name: String, in pattern: CompiledPattern) -> Range<Int>? {
        guard let numbers = pattern.groupNumbersByName[name] else { return nil }
        for number in numbers where number < groups.count {
            if let range = groups[number] { return range }
        }
        return nil
    }
}
