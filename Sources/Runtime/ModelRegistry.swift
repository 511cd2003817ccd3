/// The compiled models a binary contains. The generated registry file (Generated/ModelRegistry+All.swift)
/// defines `ModelRegistry.all` listing every model `digits compile` wrote.
public struct ModelRegistry: Sendable {
    public struct Entry: Sendable {
        public var info: ModelInfo
        public var type: any Predictor.Type

        public func make(_ path: KernelPath) -> any Predictor { type.init(path: path) }

        public init(_ type: any Predictor.Type) {
            self.info = type.info
            self.type = type
        }
    }

    public var entries: [Entry]

    public init(_ types: [any Predictor.Type]) {
        entries = types.map(Entry.init)
    }

    public var names: [String] { entries.map(\.info.name) }

    public func entry(named name: String) -> Entry? {
        entries.first { $0.info.name == name }
    }
}

/// A model name that is not in the registry; the message lists what is.
public struct UnknownModelError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var known: [String]
    public var description: String {
        let close = known.filter { $0.lowercased() == name.lowercased() || $0.lowercased().hasPrefix(name.lowercased()) }
        let hint = close.first.map { " (did you mean '\($0)'?)" } ?? ""
        return "no compiled model named '\(name)'\(hint); compiled models: \(known.joined(separator: ", "))"
    }
}

extension ModelRegistry {
    /// The entry for `name`, or an error naming the compiled models (for CLI arguments and HTTP parameters).
    public func lookup(_ name: String) throws(UnknownModelError) -> Entry {
        guard let entry = entry(named: name) else { throw UnknownModelError(name: name, known: names) }
        return entry
    }
}
