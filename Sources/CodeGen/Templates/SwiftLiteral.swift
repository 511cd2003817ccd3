import Runtime

/// Small helpers the templates share for writing Swift source text.
enum SwiftLiteral {
    /// `Name(label: value, …)` wrapped to lines of at most ~116 columns, continuation lines indented.
    static func call(_ name: String, _ arguments: [(String, String)], indent: String) -> String {
        var lines: [String] = []
        var line = ""
        for (i, (label, value)) in arguments.enumerated() {
            let piece = "\(label): \(value)" + (i == arguments.count - 1 ? ")" : ",")
            if !line.isEmpty && line.count + piece.count + 1 > 116 - indent.count - 4 {
                lines.append(line)
                line = piece
            } else {
                line += line.isEmpty ? piece : " " + piece
            }
        }
        lines.append(line)
        return "\(name)(\n" + lines.map { indent + "    " + $0 }.joined(separator: "\n")
    }

    static func placement(_ p: TensorPlacement, indent: String) -> String {
        call("TensorPlacement", [("offset", "\(p.offset)"), ("height", "\(p.height)"), ("width", "\(p.width)"),
                                 ("channels", "\(p.channels)"), ("rowStride", "\(p.rowStride)"), ("zero", "\(p.zero)")],
             indent: indent)
    }

    static func array(_ items: [String], indent: String) -> String {
        "[\n" + items.map { indent + "    " + $0 + "," }.joined(separator: "\n") + "\n" + indent + "]"
    }

    /// A Swift identifier for a spec name (layer or network): letters, digits and `_`, not starting with a digit.
    static func identifier(_ name: String) -> String {
        var s = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if s.first?.isNumber ?? true { s = "l" + s }
        return keywords.contains(s) ? "`\(s)`" : s
    }

    /// `edge_channels` → `EdgeChannels`.
    static func typeName(_ name: String) -> String {
        let words = name.split { !($0.isLetter || $0.isNumber) }
        let joined = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return joined.first?.isLetter ?? false ? joined : "Model" + joined
    }

    static let keywords: Set<String> = [
        "as", "break", "case", "catch", "class", "continue", "default", "defer", "do", "else", "enum", "extension",
        "fallthrough", "false", "for", "func", "guard", "if", "import", "in", "init", "inout", "internal", "is",
        "let", "nil", "operator", "private", "protocol", "public", "repeat", "return", "self", "Self", "static",
        "struct", "subscript", "super", "switch", "throw", "throws", "true", "try", "typealias", "var", "where",
        "while", "input", "output", "path",
    ]
}
