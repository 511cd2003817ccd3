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
