/// Splits spec text into tokens. Statements are line-based, so newlines are tokens; `#` starts a comment.
/// A line ending in `\` (optionally followed by a comment) continues on the next line.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1

    init(source: String, file: String) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
    }

    mutating func tokenize() throws(SpecError) -> [Token] {
        var tokens: [Token] = []
        var errors: [Diagnostic] = []
        while true {
            do {
                let token = try next()
                tokens.append(token)
                if token.kind == .end { break }
            } catch {
                errors.append(contentsOf: error.diagnostics)
                skipToEndOfLine()
            }
        }
        if !errors.isEmpty { throw SpecError(errors) }
        return tokens
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    private func peek(_ offset: Int = 1) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        guard let scalar = current else { return }
        index += 1
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private mutating func skipToEndOfLine() {
        while let scalar = current, scalar != "\n" { advance() }
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private mutating func next() throws(SpecError) -> Token {
        // Blanks, comments, and line continuations.
        while let scalar = current {
            if scalar == " " || scalar == "\t" || scalar == "\r" {
                advance()
            } else if scalar == "#" {
                skipToEndOfLine()
            } else if scalar == "\\" {
                var lookahead = index + 1
                while lookahead < scalars.count, scalars[lookahead] == " " || scalars[lookahead] == "\t"
                    || scalars[lookahead] == "\r" { lookahead += 1 }
                // A comment may follow the backslash: `kernel=3 \  # why`.
                if lookahead < scalars.count, scalars[lookahead] == "#" {
                    while lookahead < scalars.count, scalars[lookahead] != "\n" { lookahead += 1 }
                }
                guard lookahead < scalars.count, scalars[lookahead] == "\n" else {
                    throw SpecError(at: location, "'\\' continues a line only at the end of the line")
                }
                while index <= lookahead { advance() }
            } else {
                break
            }
        }
        let start = location
        guard let scalar = current else { return Token(kind: .end, location: start, text: "") }

        func single(_ kind: Token.Kind) -> Token {
            advance()
            return Token(kind: kind, location: start, text: String(scalar))
        }
        switch scalar {
        case "\n": return single(.newline)
        case ":": return single(.colon)
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case ",": return single(.comma)
        case "=": return single(.equals)
        case "/": return single(.slash)
        case "\"": return try string(start: start)
        default: break
        }
        if Self.isIdentifierStart(scalar) { return identifier(start: start) }
        if Self.isDigit(scalar) || ((scalar == "-" || scalar == "+" || scalar == ".")
            && (peek().map(Self.isDigit) ?? false || (peek() == "." && peek(2).map(Self.isDigit) == true))) {
            return try number(start: start)
        }
        advance()
        throw SpecError(at: start, "unexpected character '\(scalar)'")
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    private static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_"
    }
    private static func isIdentifierPart(_ s: Unicode.Scalar) -> Bool {
        isIdentifierStart(s) || isDigit(s) || s == "-" || s == "."
    }

    private mutating func identifier(start: SourceLocation) -> Token {
        var text = ""
        while let scalar = current, Self.isIdentifierPart(scalar) {
            text.unicodeScalars.append(scalar)
            advance()
        }
        return Token(kind: .identifier(text), location: start, text: text)
    }

    private mutating func string(start: SourceLocation) throws(SpecError) -> Token {
        advance()
        var text = ""
        while let scalar = current, scalar != "\"" {
            if scalar == "\n" { throw SpecError(at: start, "unterminated string: expected '\"' before end of line") }
            text.unicodeScalars.append(scalar)
            advance()
        }
        guard current == "\"" else { throw SpecError(at: start, "unterminated string: expected '\"' before end of file") }
        advance()
        return Token(kind: .string(text), location: start, text: "\"\(text)\"")
    }

    /// Numbers, and dimension lists like `3x3` or `1x28x28`.
    private mutating func number(start: SourceLocation) throws(SpecError) -> Token {
        var text = ""
        while let scalar = current, Self.isDigit(scalar) || "+-.eExX".unicodeScalars.contains(scalar)
            || Self.isIdentifierStart(scalar) {
            // A sign is only part of the number at its start or right after an exponent marker.
            if scalar == "-" || scalar == "+", let last = text.unicodeScalars.last, last != "e" && last != "E" { break }
            text.unicodeScalars.append(scalar)
            advance()
        }
        if text.contains("x") || text.contains("X") {
            let parts = text.split(separator: "x", omittingEmptySubsequences: false)
                .flatMap { $0.split(separator: "X", omittingEmptySubsequences: false) }
            var dims: [Int] = []
            for part in parts {
                guard let value = Int(part), value >= 0 else {
                    throw SpecError(at: start, "malformed dimensions '\(text)': expected whole numbers separated by 'x', like 3x3 or 1x28x28")
                }
                dims.append(value)
            }
            return Token(kind: .dims(dims), location: start, text: text)
        }
        guard let value = Double(text), value.isFinite else {
            throw SpecError(at: start, "malformed number '\(text)'")
        }
        let isInteger = Int(text) != nil
        return Token(kind: .number(value, isInteger: isInteger), location: start, text: text)
    }
}
