/// What the parser reads, before names are resolved and shapes inferred.
struct SpecSyntax: Sendable {
    var statements: [Statement]
}

struct Located<Value: Sendable>: Sendable {
    var value: Value
    var location: SourceLocation
}

enum AttributeValue: Sendable, Hashable {
    case number(Double, isInteger: Bool)
    case word(String)
    case dims([Int])
    case string(String)

    var display: String {
        switch self {
        case .number(let v, let isInteger): isInteger ? String(Int(v)) : String(v)
        case .word(let w): w
        case .dims(let d): d.map(String.init).joined(separator: "x")
        case .string(let s): "\"\(s)\""
        }
    }
}

struct AttributeSyntax: Sendable {
    var name: Located<String>
    var value: Located<AttributeValue>
}

enum Statement: Sendable {
    case network(name: Located<String>, location: SourceLocation)
    case input(shape: Located<[Int]>, attributes: [AttributeSyntax], location: SourceLocation)
    case labels([Located<String>], location: SourceLocation)
    case layer(LayerSyntax)
}

struct LayerSyntax: Sendable {
    var name: Located<String>?
    var kind: Located<String>
    /// nil: reads the previous layer's output.
    var inputs: [Located<String>]?
    var attributes: [AttributeSyntax]
}
