/// Where a line goes on a bundle's timeline: by time (a line without one keeps its place after
/// the line before it in its file), then by source name, then by place in the source. The one
/// order of `scan` (entries, sources as ranks of their names) and `follow` (events).
package struct TimelineOrder<Source: Comparable, Place: Comparable>: Comparable {
    /// The order time in nanoseconds (`Int64.min` for a line before any time in its file).
    package var time: Int64
    package var source: Source
    package var place: Place

    package init(time: Int64, source: Source, place: Place) { self.time = time; self.source = source; self.place = place }

    @inline(__always)
    package static func < (a: Self, b: Self) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.source != b.source { return a.source < b.source }
        return a.place < b.place
    }
}

extension Array {
    /// Where `element` goes in this array, kept in an order by `precedes`: after every element
    /// it does not precede. Searched from the end, where a live session's lines nearly always go,
    /// so the cost is the number of elements it goes before.
    package func insertionIndex(of element: Element, by precedes: (Element, Element) -> Bool) -> Int {
        var at = count
        while at > 0 && precedes(element, self[at - 1]) { at -= 1 }
        return at
    }
}
