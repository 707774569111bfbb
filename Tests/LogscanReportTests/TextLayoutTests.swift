import Foundation
import Testing
@testable import LogscanReport

@Suite struct TextLayoutTests {
    @Test func macsAreLabelledByAsMuchPathAsTellsThemApart() {
        #expect(TextReport.distinctLabels(["Samples/a/logs", "Samples/b/logs", "fleet/mac-1.zip"])
                == ["a/logs", "b/logs", "mac-1.zip"])
        #expect(TextReport.distinctLabels(["x/logs", "y/x/logs", "z"]) == ["x/logs", "y/x/logs", "z"])
        // One Mac: its name as given.
        #expect(TextReport.distinctLabels(["Samples/a/logs"]) == ["Samples/a/logs"])
        let many = (0..<30).map { "fleet/site-\($0 % 3)/mac-\($0 / 3)/logs" }
        let labels = TextReport.distinctLabels(many)
        #expect(Set(labels).count == many.count)
    }

    @Test func longLinesAreCutInTheMiddleKeepingTheEnd() {
        let line = "Error AADSTS53003 blocked " + String(repeating: "x", count: 200) + " Correlation ID: 5f0c2b1e-aaaa-bbbb-cccc-1234567890ab"
        let cut = TextReport.clipMiddle(line, 80)
        #expect(cut.count <= 80 && cut.count >= 60)
        #expect(cut.hasPrefix("Error AADSTS53003 blocked"))
        #expect(cut.hasSuffix("5f0c2b1e-aaaa-bbbb-cccc-1234567890ab"))
        #expect(cut.contains("…"))
        #expect(TextReport.clipMiddle("short", 80) == "short")
        // Between words where one ends near the cut.
        let words = (0..<40).map { "word\($0)" }.joined(separator: " ")
        let wordCut = TextReport.clipMiddle(words, 60)
        #expect(wordCut.contains(" … ") || wordCut.contains(" …") || wordCut.contains("… "), "\(wordCut)")
        #expect(wordCut.hasPrefix("word0 word1") && wordCut.hasSuffix("word39"))
    }

    @Test func wrappingKeepsToTheWidthAndCountsColourAsNothing() {
        let text = (0..<40).map { "word\($0)" }.joined(separator: " ")
        for width in [40, 80, 120] {
            let lines = TextReport.wrapText(text, indent: "  ", hanging: "    ", width: width).split(separator: "\n")
            #expect(lines.allSatisfy { $0.count <= width }, "\(width)")
            #expect(lines.count > 1)
        }
        let styled = TextStyle(color: true)
        let coloured = (0..<20).map { styled.red("w\($0)") }.joined(separator: " ")
        let lines = TextReport.wrapText(coloured, indent: "", hanging: "", width: 30, styled: true).split(separator: "\n")
        #expect(lines.allSatisfy { TextReport.visibleCount($0) <= 30 })
    }

    @Test func pluralsAreRight() {
        #expect(TextReport.plural(1, "evidence line") == "1 evidence line")
        #expect(TextReport.plural(2, "evidence line") == "2 evidence lines")
        #expect(TextReport.plural(0, "Mac") == "0 Macs")
    }
}
