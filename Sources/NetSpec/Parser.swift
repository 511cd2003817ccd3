/// Turns tokens into statements. Errors are collected per line so one run reports every syntax error.
struct Parser {
    private let tokens: [Token]
    private var position = 0

    init(tokens: [Token]) { self.tokens = tokens }

    mutating func parse() throws(SpecError) -> SpecSyntax {
        var statements: [Statement] = []
        var errors: [Diagnostic] = []
        while current.kind != .end {
            if current.kind == .newline {
                position += 1
                continue
            }
            do {
                statements.append(try statement())
                try expectEndOfStatement()
            } catch {
                errors.append(contentsOf: error.diagnostics)
                while current.kind != .newline && current.kind != .end { position += 1 }
            }
        }
        if !errors.isEmpty { throw SpecError(errors) }
        return SpecSyntax(statements: statements)
    }

    private var current: Token { tokens[min(position, tokens.count - 1)] }
    private var next: Token { tokens[min(position + 1, tokens.count - 1)] }

    private mutating func take() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func error(_ expected: String) -> SpecError {
        SpecError(at: current.location, "expected \(expected), found \(current.kind.display)")
    }

    private mutating func expectEndOfStatement() throws(SpecError) {
        guard current.kind == .newline || current.kind == .end else {
            if case .identifier = current.kind {
                throw error("an attribute 'name=value' or end of line")
            }
            throw error("end of line")
        }
    }

    private mutating func identifier(_ what: String) throws(SpecError) -> Located<String> {
        guard case .identifier(let name) = current.kind else { throw error(what) }
        let token = take()
        return Located(value: name, location: token.location)
    }

    private mutating func statement() throws(SpecError) -> Statement {
        let start = current.location
        if case .identifier(let word) = current.kind, next.kind != .colon {
            switch word {
            case "network":
                _ = take()
                return .network(name: try identifier("a network name"), location: start)
            case "input":
                _ = take()
                guard case .dims(let dims) = current.kind else {
                    throw error("the input shape as CxHxW, like 1x28x28")
                }
                let shape = Located(value: dims, location: take().location)
                return .input(shape: shape, attributes: try attributes(), location: start)
            case "labels":
                _ = take()
                var labels: [Located<String>] = []
                while true {
                    switch current.kind {
                    case .identifier(let text), .string(let text):
                        labels.append(Located(value: text, location: take().location))
                    case .number:
                        let token = take()
                        labels.append(Located(value: token.text, location: token.location))
                    default:
                        if labels.isEmpty { throw error("at least one label") }
                        return .labels(labels, location: start)
                    }
                }
            default:
                break
            }
        }
        return .layer(try layer())
    }

    private mutating func layer() throws(SpecError) -> LayerSyntax {
        var name: Located<String>?
        if next.kind == .colon {
            name = try identifier("a layer name")
            _ = take()
        }
        let kind = try identifier(name == nil ? "a layer kind, a layer name followed by ':', or 'network', 'input', 'labels'" : "a layer kind after ':'")
        var inputs: [Located<String>]?
        if current.kind == .leftParen {
            _ = take()
            var list: [Located<String>] = []
            if current.kind != .rightParen {
                while true {
                    list.append(try identifier("the name of an input layer"))
                    if current.kind == .comma {
                        _ = take()
                        continue
                    }
                    break
                }
            }
            guard current.kind == .rightParen else { throw error("',' or ')' in the input list") }
            _ = take()
            inputs = list
        }
        return LayerSyntax(name: name, kind: kind, inputs: inputs, attributes: try attributes())
    }

    private mutating func attributes() throws(SpecError) -> [AttributeSyntax] {
        var result: [AttributeSyntax] = []
        while case .identifier(let name) = current.kind {
            let nameToken = take()
            guard current.kind == .equals else {
                throw error("'=' after attribute '\(name)'")
            }
            _ = take()
            let valueStart = current.location
            let value: AttributeValue
            switch current.kind {
            case .number(let numerator, let isInteger):
                _ = take()
                if current.kind == .slash {
                    _ = take()
                    guard case .number(let denominator, _) = current.kind else { throw error("a number after '/'") }
                    guard denominator != 0 else { throw SpecError(at: current.location, "division by zero in '\(name)'") }
                    _ = take()
                    value = .number(numerator / denominator, isInteger: false)
                } else {
                    value = .number(numerator, isInteger: isInteger)
                }
            case .identifier(let word):
                // `filters= kernel=3`: the word is the next attribute's name, so this value is missing.
                if next.kind == .equals { throw error("a value for '\(name)'") }
                _ = take()
                value = .word(word)
            case .dims(let dims):
                _ = take()
                value = .dims(dims)
            case .string(let text):
                _ = take()
                value = .string(text)
            default:
                throw error("a value for '\(name)'")
            }
            result.append(AttributeSyntax(name: Located(value: name, location: nameToken.location),
                                          value: Located(value: value, location: valueStart)))
        }
        return result
    }
}
