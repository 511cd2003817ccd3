/// A lexical token of the spec language.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `conv2d`, `block1_a`, `relu`, `same`
        case identifier(String)
        /// `64`, `0.1307`, `-1`, `1e-5`
        case number(Double, isInteger: Bool)
        /// `3x3`, `1x28x28`
        case dims([Int])
        /// `"zero"`
        case string(String)
        case colon, leftParen, rightParen, comma, equals, slash
        case newline
        case end
    }

    var kind: Kind
    var location: SourceLocation
    /// The source text, for messages.
    var text: String
}

extension Token.Kind {
    /// How the token is named in "expected …, found …" messages.
    var display: String {
        switch self {
        case .identifier(let name): "'\(name)'"
        case .number: "a number"
        case .dims(let dims): "'\(dims.map(String.init).joined(separator: "x"))'"
        case .string(let value): "\"\(value)\""
        case .colon: "':'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .comma: "','"
        case .equals: "'='"
        case .slash: "'/'"
        case .newline: "end of line"
        case .end: "end of file"
        }
    }
}
