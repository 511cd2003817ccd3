/// Why a network cannot be run with the given weights or input. One line, naming the tensor and what was
/// expected versus found.
public struct InterpreterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
