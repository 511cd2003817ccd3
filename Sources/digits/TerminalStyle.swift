import Foundation

/// Whether output may carry ANSI colour codes: only when stdout is a terminal and `NO_COLOR` is unset or empty
/// (https://no-color.org), so pipes, files and tests get plain text.
struct TerminalStyle: Sendable, Equatable {
    var colors: Bool

    static let plain = TerminalStyle(colors: false)

    static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let dumb = environment["TERM"] == "dumb"
        return TerminalStyle(colors: isatty(STDOUT_FILENO) != 0 && !noColor && !dumb)
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func red(_ text: String) -> String { wrap(text, "31") }

    private func wrap(_ text: String, _ code: String) -> String {
        colors && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
