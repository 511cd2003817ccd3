import LoadTesting

// Sleeps use the load executor's timers: Task.sleep resumes through the shared cooperative pool, which other
// tests in this process may keep busy.

/// Sleeps a fixed time per request.
struct SleepingTarget: LoadTarget {
    var milliseconds: Int
    var description: String { "sleeps \(milliseconds) ms" }
    func name(of index: Int) -> String { "sleep" }
    func makeSession(worker: Int) async throws {}
    func send(_ index: Int, on session: inout Void) async throws {
        await LoadExecutor.shared.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
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
        if index == stallIndex { await LoadExecutor.shared.sleep(nanoseconds: UInt64(stallMilliseconds) * 1_000_000) }
    }
}

/// Fails request 4k + 1 with one reason and 4k + 2 with another.
struct FailingTarget: LoadTarget {
    var description: String { "fails half" }
    func name(of index: Int) -> String { index % 2 == 0 ? "even" : "odd" }
    func makeSession(worker: Int) async throws {}
    func send(_ index: Int, on session: inout Void) async throws {
        await LoadExecutor.shared.sleep(nanoseconds: 1_000_000)
        switch index % 4 {
        case 1: throw LoadFailure("HTTP 503 Service Unavailable")
        case 2: throw LoadFailure("wrong digit: expected 7, got 1")
        default: return
        }
    }
}
