import Dispatch
import Synchronization

/// What the progress line shows; delivered every `progressInterval` while a run is going.
public struct LoadProgress: Sendable, Equatable {
    /// Seconds since the run started (warm-up included) and the run's planned length.
    public var elapsed: Double
    public var total: Double
    public var inWarmup: Bool
    /// Measured requests and failures so far.
    public var requests: Int
    public var failures: Int
    /// Completions (warm-up included) in the last whole second.
    public var currentRate: Int
    /// Milliseconds, measured requests so far.
    public var p99: Double

    public init(elapsed: Double, total: Double, inWarmup: Bool, requests: Int, failures: Int, currentRate: Int, p99: Double) {
        self.elapsed = elapsed
        self.total = total
        self.inWarmup = inWarmup
        self.requests = requests
        self.failures = failures
        self.currentRate = currentRate
        self.p99 = p99
    }
}

/// Runs a load test against a target: closed loop (workers back to back) or open loop (requests due on a fixed
/// schedule, latency from the due time — coordinated omission corrected — beside the plain service time).
public struct LoadTester<Target: LoadTarget>: Sendable {
    public var target: Target
    public var configuration: LoadTestConfiguration

    public init(target: Target, configuration: LoadTestConfiguration) {
        self.target = target
        self.configuration = configuration
    }

    /// Runs to completion. `progress` is called from a background task every `progressInterval` seconds.
    public func run(progressInterval: Double = 1, progress: (@Sendable (LoadProgress) -> Void)? = nil) async throws -> LoadTestResult {
        let problems = configuration.problems
        if !problems.isEmpty { throw LoadFailure(problems.joined(separator: "; ")) }
        let config = configuration
        let warmup = UInt64(config.warmup * 1e9)
        let end = warmup + UInt64(config.duration * 1e9)
        let recorder = LoadRecorder(windowStart: warmup)
        let clock = RunClock()
        let next = Counter()
        let target = self.target

        try await withThrowingTaskGroup(of: Void.self) { group in
            let executor = LoadExecutor.shared
            for worker in 0..<config.concurrency {
                group.addTask(executorPreference: executor) {
                    var session = try await target.makeSession(worker: worker)
                    if let rate = config.rate {
                        await Self.openLoop(target, &session, rate: rate, warmup: warmup, end: end,
                                            grace: UInt64(config.drainGrace * 1e9), next: next, clock: clock, recorder: recorder)
                    } else {
                        await Self.closedLoop(target, &session, warmup: warmup, end: end, next: next, clock: clock, recorder: recorder)
                    }
                    await target.closeSession(&session)
                }
            }
            let reporter = progress.map { report in
                Task(executorPreference: executor) {
                    let total = Double(end) / 1e9
                    while !Task.isCancelled {
                        await executor.sleep(nanoseconds: UInt64(progressInterval * 1e9))
                        if Task.isCancelled { break }
                        let now = clock.now
                        let p = recorder.progress(now: now)
                        report(LoadProgress(elapsed: min(Double(now) / 1e9, total), total: total, inWarmup: now < warmup,
                                            requests: p.requests, failures: p.failures, currentRate: p.currentRate, p99: p.p99))
                    }
                }
            }
            defer { reporter?.cancel() }
            do {
                try await group.waitForAll()
            } catch {
                group.cancelAll()
                throw error
            }
        }
        if let rate = config.rate {
            // Requests due in the window that no worker took before the grace period ran out.
            let due = Int((Double(end) / 1e9 * rate).rounded(.up))
            let firstMeasured = Int((Double(warmup) / 1e9 * rate).rounded(.up))
            let taken = min(next.value.load(ordering: .relaxed), due)
            for index in max(taken, firstMeasured)..<max(due, max(taken, firstMeasured)) {
                recorder.recordNotSent(name: target.name(of: index),
                                       reason: "not sent: the target was more than \(Self.seconds(config.drainGrace)) behind schedule at the end")
            }
        }
        var result = recorder.result(target: target.description, configuration: config)
        result.timeline = Array(result.timeline.prefix(Int(config.duration.rounded(.up))))
        return result
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func closedLoop(_ target: Target, _ session: inout Target.Session, warmup: UInt64, end: UInt64,
                                   next: Counter, clock: RunClock, recorder: LoadRecorder) async {
        while !Task.isCancelled {
            let sent = clock.now
            if sent >= end { return }
            let index = next.value.add(1, ordering: .relaxed).oldValue
            let failure = await send(target, index, &session)
            recorder.record(name: target.name(of: index), intended: sent, sent: sent, completed: clock.now,
                            failure: failure, measured: sent >= warmup)
        }
    }

    private static func openLoop(_ target: Target, _ session: inout Target.Session, rate: Double, warmup: UInt64,
                                 end: UInt64, grace: UInt64, next: Counter, clock: RunClock,
                                 recorder: LoadRecorder) async {
        let interval = 1e9 / rate
        while !Task.isCancelled {
            let index = next.value.add(1, ordering: .relaxed).oldValue
            let intended = UInt64((Double(index) * interval).rounded())
            if intended >= end { return }
            var now = clock.now
            if now > end + grace {
                // Give the index back to the count of requests never sent (the caller counts from `next`).
                next.value.subtract(1, ordering: .relaxed)
                return
            }
            if intended > now {
                await LoadExecutor.shared.sleep(nanoseconds: intended - now)
                now = clock.now
            }
            let failure = await send(target, index, &session)
            recorder.record(name: target.name(of: index), intended: intended, sent: now, completed: clock.now,
                            failure: failure, measured: intended >= warmup)
        }
    }

    private static func send(_ target: Target, _ index: Int, _ session: inout Target.Session) async -> String? {
        do {
            try await target.send(index, on: &session)
            return nil
        } catch let error as LoadFailure {
            return error.description
        } catch {
            return String(describing: error)
        }
    }
}

/// Nanoseconds since the run started, on the monotonic clock.
final class RunClock: Sendable {
    private let start = DispatchTime.now().uptimeNanoseconds
    var now: UInt64 { DispatchTime.now().uptimeNanoseconds &- start }
}

/// The next request index, shared by the workers.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
