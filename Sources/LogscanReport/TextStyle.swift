import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// Terminal styling: ANSI colour only when asked for (a TTY without `NO_COLOR`).
public struct TextStyle: Sendable {
    public var color: Bool
    public init(color: Bool) { self.color = color }

    /// Colour when `stream` is a terminal and `NO_COLOR` is not set (https://no-color.org).
    public static func detect(fileDescriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> TextStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(color: !noColor && isatty(fileDescriptor) == 1 && environment["TERM"] != "dumb")
    }

    func wrap(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func dim(_ s: String) -> String { wrap(s, "2") }
    public func red(_ s: String) -> String { wrap(s, "31") }
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    public func green(_ s: String) -> String { wrap(s, "32") }
    public func cyan(_ s: String) -> String { wrap(s, "36") }

    func severity(_ s: Severity) -> String {
        let label = s.rawValue.uppercased()
        switch s {
        case .critical, .high: return red(bold(label))
        case .medium: return yellow(bold(label))
        default: return cyan(label)
        }
    }
}
