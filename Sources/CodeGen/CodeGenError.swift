/// A model the generator cannot compile; one line naming the model and layer and what is unsupported.
public struct CodeGenError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
