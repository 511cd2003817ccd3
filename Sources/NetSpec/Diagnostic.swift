/// One problem found in a spec, printed the way compilers do: `file:line:col: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
        case note
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Thrown when a spec cannot be turned into a network; carries every diagnostic found, in file order.
public struct SpecError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(at location: SourceLocation, _ message: String) {
        self.diagnostics = [Diagnostic(at: location, message)]
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
