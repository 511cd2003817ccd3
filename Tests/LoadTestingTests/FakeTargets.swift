import LoadTesting

/// Sleeps a fixed time per request.
struct SleepingTarget: LoadTarget {
    var milliseconds: Int
    var description: String { "sleeps \(milliseconds) ms" }
    func name(of index: Int) -> String { "sleep" }
    func makeSession(worker: Int) async throws {}
    func send(_ index: Int, on session: inout Void) async throws {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}

/// Answers at once, except request `stallIndex`, which takes `stallMilliseconds`.
struct StallingTarget: LoadTarget {
    var stallIndex: Int
    var stallMilliseconds: Int
    var description: String { "stalls once" }
    func name(of index: Int) -> String { "stall" }
    func makeSession(worker: Int) async throws {}
    func send(_ index: Int, on session: inout Void) async throws {
        if index == stallIndex { try await Task.sleep(for: .milliseconds(stallMilliseconds)) }
    }
}

/// Fails request 4k + 1 with one reason and 4k + 2 with another.
struct FailingTarget: LoadTarget {
    var description: String { "fails half" }
    func name(of index: Int) -> String { index % 2 == 0 ? "even" : "odd" }
    func makeSession(worker: Int) async throws {}
    func send(_ index: Int, on session: inout Void) async throws {
        try await Task.sleep(for: .milliseconds(1))
        switch index % 4 {
        case 1: throw LoadFailure("HTTP 503 Service Unavailable")
        case 2: throw LoadFailure("wrong digit: expected 7, got 1")
        default: return
        }
    }
}
