import Mustache

/// The Mustache templates of `--format markdown` (GitHub-flavoured, for tickets). Values go in
/// through `{{name}}`, escaped for Markdown text (`MarkdownText`). Log lines and commands go in
/// code: fenced blocks whose fence is longer than any run of backticks inside, and code spans
/// of fix steps (split at their backticks, so none is inside); the `raw` and `block` partials
/// write those unescaped, as code needs, and nothing else uses them.
enum MarkdownTemplates {
    static let library: MustacheLibrary = {
        MustacheContentTypes.register(MarkdownText(), named: "MARKDOWN")
        do {
            return MustacheLibrary(templates: [
                "start": try MustacheTemplate(string: start),
                "mac": try MustacheTemplate(string: mac),
                "rich": try MustacheTemplate(string: rich),
                "raw": try MustacheTemplate(string: raw),
                "block": try MustacheTemplate(string: block),
                "end": try MustacheTemplate(string: end),
            ])
        } catch {
            fatalError("a built-in Markdown template does not parse: \(error)")
        }
    }()

    static let all = [start, mac, rich, raw, block, end]

    /// Escapes what Markdown (and the HTML it allows) would read as markup; a line break
    /// becomes a space (a value is never more than one line of text).
    struct MarkdownText: MustacheContentType {
        func escapeText(_ text: String) -> String {
            var out = ""
            out.reserveCapacity(text.utf8.count + 8)
            for c in text {
                switch c {
                case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "#", "&", "!", "{", "}": out.append("\\"); out.append(c)
                case "\n", "\r", "\r\n": out.append(" ")
                default: out.append(c)
                }
            }
            return out
        }
    }

    static let start = #"""
    {{% CONTENT_TYPE: MARKDOWN}}
    # {{title}}

    **{{summary}}**

    {{#scope}}
    - {{.}}
    {{/scope}}

    All times are UTC. Made by logscan from the Macs' own logs.
    {{#hasProblems}}

    > **Inputs that could not be read** (the report covers every input that could):
    {{#problems}}
    > - {{source}}: {{message}}
    {{/problems}}
    {{/hasProblems}}
    {{#isFleet}}

    ## Causes across the fleet

    {{#hasRollUp}}
    | Severity | Cause | Id | Macs | Which Macs | First step |
    |---|---|---|--:|---|---|
    {{#rollUp}}
    | {{severity}} | {{title}} | `{{id}}` | {{macCount}} | {{#shownMacs}}{{label}}{{^last()}}, {{/last()}}{{/shownMacs}}{{#more}} {{.}}{{/more}} | {{#firstFixText}}{{>rich}}{{/firstFixText}} |
    {{/rollUp}}
    {{/hasRollUp}}
    {{^hasRollUp}}
    No known cause on any Mac.
    {{/hasRollUp}}

    | Mac | Logs from | Status | Causes |
    |---|---|---|---|
    {{#macs}}
    | {{label}} | {{name}} | {{status}} | {{#causes}}`{{label}}`{{^last()}}, {{/last()}}{{/causes}} |
    {{/macs}}
    {{/isFleet}}

    """#

    static let mac = #"""
    {{% CONTENT_TYPE: MARKDOWN}}
    {{#mac}}

    ## {{label}}: {{status}}

    - Logs from: {{name}}
    {{#device}}
    - Device: {{.}}
    {{/device}}
    - Inputs: {{inputSummary}}
    {{#span}}
    - Time span: {{.}}
    {{/span}}
    {{#zoneBasis}}
    - Times: {{.}}
    {{/zoneBasis}}
    {{#notes}}
    - Note: {{.}}
    {{/notes}}
    {{#errors}}
    - **Error** in {{source}}: {{message}}
    {{/errors}}
    {{#notDiagnosable}}

    **Not diagnosable:** {{.}}
    {{/notDiagnosable}}
    {{^hasCauses}}
    {{^notDiagnosable}}

    No known cause of Jamf Pro / Intune integration failure in these logs.
    {{/notDiagnosable}}
    {{/hasCauses}}
    {{#causes}}

    ### {{severityLabel}}: {{title}} (`{{id}}`)

    {{countText}}{{#when}}, {{.}}{{/when}}; {{reason}}

    **Fix**

    {{#fixSteps}}
    1. {{>rich}}
    {{/fixSteps}}

    **Evidence**

    {{#evidence}}
    {{location}} · {{time}} · {{rule}}
    {{>block}}

    {{/evidence}}
    {{#evidenceMore}}
    {{.}}

    {{/evidenceMore}}
    {{#hasIDs}}
    **Extracted:** {{#ids}}{{name}} {{value}}{{^last()}}; {{/last()}}{{/ids}}

    {{/hasIDs}}
    {{#hasReferences}}
    **References:** {{#references}}<{{>raw}}>{{^last()}}, {{/last()}}{{/references}}

    {{/hasReferences}}
    More: `logscan explain {{id}}`
    {{/causes}}
    {{#hasUnrecognized}}

    ### Unrecognized errors

    {{unrecognizedSummary}}

    {{#unrecognized}}
    ×{{count}} {{level}}, {{when}}
    {{#block}}{{>block}}{{/block}}

    {{/unrecognized}}
    {{#unrecognizedMore}}
    {{.}}

    {{/unrecognizedMore}}
    {{/hasUnrecognized}}
    {{#hasTimeline}}

    #### Timeline (UTC): evidence and the lines around it

    {{#timelineDigest}}
    {{>block}}
    {{/timelineDigest}}
    {{/hasTimeline}}
    {{/mac}}


    """#

    /// Text with code spans (fix steps).
    static let rich = #"""
    {{% CONTENT_TYPE: MARKDOWN}}{{#pieces}}{{#isCode}}`{{>raw}}`{{/isCode}}{{^isCode}}{{text}}{{/isCode}}{{/pieces}}
    """#

    /// Code as it is: a fenced block's or code span's text, an autolink's address.
    static let raw = #"""
    {{% CONTENT_TYPE: TEXT}}{{text}}
    """#

    /// A fenced code block of `text`, its fence longer than any backtick run inside.
    static let block = #"""
    {{% CONTENT_TYPE: TEXT}}{{fence}}text
    {{text}}
    {{fence}}

    """#

    static let end = #"""
    {{% CONTENT_TYPE: MARKDOWN}}

    ---
    Made by logscan. `--format json` has every line; `logscan explain CAUSE` tells more of a cause.

    """#
}
