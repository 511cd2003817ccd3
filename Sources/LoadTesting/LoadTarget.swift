/// Something a load test sends requests to: the in-process recognizer, an HTTP server, a fake in tests.
///
/// Each worker of a run opens its own `Session` (an HTTP connection, say) and sends requests on it back to back,
/// so a session never crosses tasks and needs no locking.
public protocol LoadTarget: Sendable {
    associatedtype Session
    /// One line for the report, e.g. "in-process best (Recognizer.predict on PNG bytes)".
    var description: String { get }
    /// The report row request `index` belongs to, e.g. "POST /api/v1/predict".
    func name(of index: Int) -> String
    /// Called once per worker before its first request; an error here ends the run.
    func makeSession(worker: Int) async throws -> Session
    /// Sends request `index`. A thrown error is a failed request; its description is the failure reason (so keep
    /// it free of per-request details such as ids, or every failure becomes its own row).
    func send(_ index: Int, on session: inout Session) async throws
    /// Called once per worker after its last request.
    func closeSession(_ session: inout Session) async
}

extension LoadTarget {
    public func closeSession(_ session: inout Session) async {}
}

/// A failed request with a reason meant for the report's failure table.
public struct LoadFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
