import LogscanScan
import Mustache

/// `--format html`: one self-contained page (styles and a few lines of script inline, no
/// request made, readable without the script, light and dark, printable). A fleet's roll-up
/// comes first, then one section per Mac with its cause cards, timeline picture and table
/// (see `HTMLTemplates`).
public final class HTMLSink: DocumentSink {
    override class func section(_ view: MacView) -> String {
        HTMLTemplates.library.render(view, withTemplate: "mac") ?? ""
    }

    override class func start(_ head: FleetView) -> String {
        HTMLTemplates.library.render(head, withTemplate: "start") ?? ""
    }

    override class func end(_ head: FleetView) -> String {
        HTMLTemplates.library.render(head, withTemplate: "end") ?? ""
    }
}
