/// Reads a layer's `name=value` attributes against the catalog, with typed accessors that fill in defaults
/// and explain what was expected when a value is wrong.
///
/// Accessors don't stop at the first bad value: they record the problem, return a stand-in, and `finish()`
/// throws every problem of the statement at once.
struct AttributeReader {
    private let owner: String
    private var values: [String: AttributeSyntax] = [:]
    private let fallback: SourceLocation
    private var problems: [Diagnostic] = []

    init(owner: String, attributes: [AttributeSyntax], allowed: [String], at location: SourceLocation) throws(SpecError) {
        self.owner = owner
        self.fallback = location
        var errors: [Diagnostic] = []
        for attribute in attributes {
            let name = attribute.name.value
            if !allowed.contains(name) {
                let known = allowed.isEmpty ? "it takes no attributes" : "known attributes: \(allowed.joined(separator: ", "))"
                errors.append(Diagnostic(at: attribute.name.location,
                    "unknown attribute '\(name)' for \(owner)\(Suggestion.hint(for: name, in: allowed)) (\(known))"))
            } else if let previous = values[name] {
                errors.append(Diagnostic(at: attribute.name.location,
                    "attribute '\(name)' given twice (first at line \(previous.name.location.line), column \(previous.name.location.column))"))
            } else {
                values[name] = attribute
            }
        }
        if !errors.isEmpty { throw SpecError(errors) }
    }

    private mutating func fail<Value>(_ attribute: AttributeSyntax, _ expected: String, standIn: Value) -> Value {
        problems.append(Diagnostic(at: attribute.value.location,
            "\(owner) attribute '\(attribute.name.value)' expects \(expected), found '\(attribute.value.value.display)'"))
        return standIn
    }

    private mutating func missing<Value>(_ name: String, _ expected: String, standIn: Value) -> Value {
        problems.append(Diagnostic(at: fallback, "\(owner) needs attribute '\(name)' (\(expected))"))
        return standIn
    }

    /// Throws every problem the accessors met, in source order.
    func finish() throws(SpecError) {
        guard !problems.isEmpty else { return }
        throw SpecError(problems.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
    }

    func has(_ name: String) -> Bool { values[name] != nil }

    mutating func positiveInt(_ name: String, default defaultValue: Int? = nil) -> Int {
        guard let attribute = values[name] else {
            if let defaultValue { return defaultValue }
            return missing(name, "a positive whole number", standIn: 1)
        }
        guard case .number(let value, true) = attribute.value.value, value >= 1, value <= 1_000_000 else {
            return fail(attribute, "a positive whole number", standIn: defaultValue ?? 1)
        }
        return Int(value)
    }

    /// `3` means 3x3; `3x5` means height 3, width 5.
    mutating func size2(_ name: String, default defaultValue: Size2? = nil) -> Size2 {
        guard let attribute = values[name] else {
            if let defaultValue { return defaultValue }
            return missing(name, "a size like 3 or 3x3", standIn: Size2(square: 1))
        }
        switch attribute.value.value {
        case .number(let value, true) where value >= 1 && value <= 100_000:
            return Size2(square: Int(value))
        case .dims(let dims) where dims.count == 2 && dims.allSatisfy({ $0 >= 1 && $0 <= 100_000 }):
            return Size2(dims[0], dims[1])
        default:
            return fail(attribute, "a size like 3 or 3x3 (positive whole numbers)", standIn: defaultValue ?? Size2(square: 1))
        }
    }

    mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Value) -> Value
    where Value.RawValue == String {
        guard let attribute = values[name] else { return defaultValue }
        let options = Value.allCases.map(\.rawValue)
        guard case .word(let word) = attribute.value.value, let value = Value(rawValue: word) else {
            let hint: String
            if case .word(let word) = attribute.value.value { hint = Suggestion.hint(for: word, in: options) } else { hint = "" }
            problems.append(Diagnostic(at: attribute.value.location,
                "\(owner) attribute '\(name)' expects one of \(options.joined(separator: ", ")), found '\(attribute.value.value.display)'\(hint)"))
            return defaultValue
        }
        return value
    }

    mutating func bool(_ name: String, default defaultValue: Bool) -> Bool {
        guard let attribute = values[name] else { return defaultValue }
        guard case .word(let word) = attribute.value.value, word == "true" || word == "false" else {
            return fail(attribute, "true or false", standIn: defaultValue)
        }
        return word == "true"
    }

    /// A real number in `range`; `describe` says what the range is in words for the message.
    mutating func number(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>, open: Bool = false,
                         describe: String) -> Double {
        guard let attribute = values[name] else { return defaultValue }
        guard case .number(let value, _) = attribute.value.value, range.contains(value),
              !open || (value != range.lowerBound) else {
            return fail(attribute, describe, standIn: defaultValue)
        }
        return value
    }
}
