/// Reads a layer's `name=value` attributes against the catalog, with typed accessors that fill in defaults
/// and explain what was expected when a value is wrong.
struct AttributeReader {
    private let owner: String
    private var values: [String: AttributeSyntax] = [:]
    private let fallback: SourceLocation

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

    private func fail(_ attribute: AttributeSyntax, _ expected: String) -> SpecError {
        SpecError(at: attribute.value.location,
                  "\(owner) attribute '\(attribute.name.value)' expects \(expected), found '\(attribute.value.value.display)'")
    }

    private func missing(_ name: String, _ expected: String) -> SpecError {
        SpecError(at: fallback, "\(owner) needs attribute '\(name)' (\(expected))")
    }

    func has(_ name: String) -> Bool { values[name] != nil }

    func positiveInt(_ name: String, default defaultValue: Int? = nil) throws(SpecError) -> Int {
        guard let attribute = values[name] else {
            if let defaultValue { return defaultValue }
            throw missing(name, "a positive whole number")
        }
        guard case .number(let value, true) = attribute.value.value, value >= 1, value <= 1_000_000 else {
            throw fail(attribute, "a positive whole number")
        }
        return Int(value)
    }

    /// `3` means 3x3; `3x5` means height 3, width 5.
    func size2(_ name: String, default defaultValue: Size2? = nil) throws(SpecError) -> Size2 {
        guard let attribute = values[name] else {
            if let defaultValue { return defaultValue }
            throw missing(name, "a size like 3 or 3x3")
        }
        switch attribute.value.value {
        case .number(let value, true) where value >= 1 && value <= 100_000:
            return Size2(square: Int(value))
        case .dims(let dims) where dims.count == 2 && dims.allSatisfy({ $0 >= 1 && $0 <= 100_000 }):
            return Size2(dims[0], dims[1])
        default:
            throw fail(attribute, "a size like 3 or 3x3 (positive whole numbers)")
        }
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Value) throws(SpecError) -> Value
    where Value.RawValue == String {
        guard let attribute = values[name] else { return defaultValue }
        let options = Value.allCases.map(\.rawValue)
        guard case .word(let word) = attribute.value.value, let value = Value(rawValue: word) else {
            let hint: String
            if case .word(let word) = attribute.value.value { hint = Suggestion.hint(for: word, in: options) } else { hint = "" }
            throw SpecError(at: attribute.value.location,
                "\(owner) attribute '\(name)' expects one of \(options.joined(separator: ", ")), found '\(attribute.value.value.display)'\(hint)")
        }
        return value
    }

    func bool(_ name: String, default defaultValue: Bool) throws(SpecError) -> Bool {
        guard let attribute = values[name] else { return defaultValue }
        guard case .word(let word) = attribute.value.value, word == "true" || word == "false" else {
            throw fail(attribute, "true or false")
        }
        return word == "true"
    }

    /// A real number in `range`; `describe` says what the range is in words for the message.
    func number(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>, open: Bool = false,
                describe: String) throws(SpecError) -> Double {
        guard let attribute = values[name] else { return defaultValue }
        guard case .number(let value, _) = attribute.value.value, range.contains(value),
              !open || (value != range.lowerBound) else {
            throw fail(attribute, describe)
        }
        return value
    }
}
