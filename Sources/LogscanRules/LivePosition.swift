import LogscanSupport

/// A place on a live bundle's timeline: timeline order, then order of arrival (a line several
/// rules match is several events at one place).
package struct LivePosition: Comparable {
    package var order: TimelineOrder<String, Int>
    package var arrival: Int

    package init(order: TimelineOrder<String, Int>, arrival: Int) { self.order = order; self.arrival = arrival }

    package static func < (a: Self, b: Self) -> Bool {
        a.order != b.order ? a.order < b.order : a.arrival < b.arrival
    }
}
