import NIOCore
import NIOPosix

/// Where a load test's worker tasks and timers run: two threads of their own rather than Swift's shared
/// cooperative pool. A program (or a test process) whose other tasks block the cooperative threads would
/// otherwise stall the load generator and report its stalls as the target's latency.
public final class LoadExecutor: TaskExecutor {
    public static let shared = LoadExecutor(threads: 2)

    private let group: MultiThreadedEventLoopGroup

    init(threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        group.next().execute { job.runSynchronously(on: executor) }
    }

    /// Suspends for `nanoseconds` on this executor's timers (epoll timerfd), not the global executor's.
    public func sleep(nanoseconds: UInt64) async {
        guard nanoseconds > 0 else { return }
        let loop = group.next()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.scheduleTask(in: .nanoseconds(Int64(min(nanoseconds, UInt64(Int64.max))))) { continuation.resume() }
        }
    }
}
