import Foundation
import LoadTesting
import Testing

@Suite("Load tester against fake targets")
struct LoadTesterTests {
    @Test("closed loop: N workers on a 2 ms target give N/latency req/s (Little's law) and never more than N/0.002")
    func closedLoopThroughput() async throws {
        let workers = 4
        let result = try await LoadTester(target: SleepingTarget(milliseconds: 2),
                                          configuration: LoadTestConfiguration(concurrency: workers, duration: 1, warmup: 0.2)).run()
        let rate = result.requestsPerSecond
        let ideal = Double(workers) / 0.002
        #expect(rate <= ideal * 1.02)
        // Timers on a loaded machine oversleep (and other tests in this process may hold the cooperative threads
        // for a while), so the rate is checked against the latency actually measured: in a closed loop,
        // rate × mean latency = the number of workers, i.e. rate = N / 0.002 when the sleeps take 2 ms.
        let inFlight = rate * result.aggregate.latency.mean / 1000
        #expect(abs(inFlight - Double(workers)) < 0.5, "rate \(rate), mean \(result.aggregate.latency.mean) ms")
        #expect(result.aggregate.latency.min >= 2)
        #expect(result.aggregate.failures == 0)
        #expect(result.rows.map(\.name) == ["sleep"])
        #expect(result.timeline.count == 1)
    }

    @Test("the load generator keeps time while Swift's cooperative threads are blocked")
    func cooperativePoolBlocked() async throws {
        // Occupy the cooperative threads with blocking work for longer than the run (as synchronous tests or a
        // careless target would).
        let blockers = (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in
            Task.detached { blockThread(seconds: 1) }
        }
        let config = LoadTestConfiguration(concurrency: 2, rate: 100, duration: 0.5)
        let result = try await LoadTester(target: SleepingTarget(milliseconds: 1), configuration: config).run()
        for blocker in blockers { await blocker.value }
        #expect(result.aggregate.requests == 50)
        #expect(result.aggregate.failures == 0)
        #expect(result.aggregate.latency.max < 200, "max \(result.aggregate.latency.max) ms")
    }

    @Test("open loop below capacity: exactly rate × duration requests, achieved rate = target")
    func openLoopAchievesRate() async throws {
        let config = LoadTestConfiguration(concurrency: 4, rate: 200, duration: 1, warmup: 0.25)
        let result = try await LoadTester(target: SleepingTarget(milliseconds: 2), configuration: config).run()
        #expect(result.aggregate.requests == 200)
        #expect(result.aggregate.failures == 0)
        #expect(result.requestsPerSecond == 200)
        #expect(result.aggregate.serviceTime.min >= 2)
        #expect(result.aggregate.latency.median >= result.aggregate.serviceTime.median)
    }

    @Test("a 200 ms stall: corrected percentiles show it, the uncorrected service time hides it")
    func coordinatedOmission() async throws {
        let config = LoadTestConfiguration(concurrency: 1, rate: 500, duration: 1)
        let result = try await LoadTester(target: StallingTarget(stallIndex: 100, stallMilliseconds: 200),
                                          configuration: config).run()
        let corrected = result.aggregate.latency, service = result.aggregate.serviceTime
        #expect(result.aggregate.requests == 500)
        // About 100 requests were due during the stall and waited up to 200 ms: over 10 % of the run.
        #expect((corrected.value(at: 90) ?? 0) > 50, "corrected p90 \(corrected.value(at: 90) ?? 0) ms")
        #expect((service.value(at: 90) ?? 0) < 20, "service p90 \(service.value(at: 90) ?? 0) ms")
        #expect(service.max >= 200)
        #expect(corrected.max >= 200)
    }

    @Test("open loop far above capacity: requests still due after the grace period count as not sent")
    func openLoopOverload() async throws {
        let config = LoadTestConfiguration(concurrency: 1, rate: 2000, duration: 0.5, drainGrace: 0.1)
        let result = try await LoadTester(target: SleepingTarget(milliseconds: 2), configuration: config).run()
        #expect(result.aggregate.requests == 1000)
        let notSent = try #require(result.failures.first)
        #expect(notSent.reason == "not sent: the target was more than 0.1 s behind schedule at the end")
        // At most one request per 2 ms went out in the 0.6 s the run lasted.
        #expect(notSent.occurrences >= 1000 - 300)
        #expect(result.aggregate.failures == notSent.occurrences)
        #expect(result.aggregate.latency.count == 1000 - notSent.occurrences)
    }

    @Test("failures are counted by request name and reason, most frequent first")
    func failuresByReason() async throws {
        let result = try await LoadTester(target: FailingTarget(),
                                          configuration: LoadTestConfiguration(concurrency: 1, duration: 0.3)).run()
        let total = result.aggregate.requests
        #expect(total >= 20)
        let reasons = Dictionary(uniqueKeysWithValues: result.failures.map { ("\($0.name): \($0.reason)", $0.occurrences) })
        #expect(Set(reasons.keys) == ["odd: HTTP 503 Service Unavailable", "even: wrong digit: expected 7, got 1"])
        #expect(result.aggregate.failures == reasons.values.reduce(0, +))
        #expect(abs(result.aggregate.failures - total / 2) <= 2)
        #expect(result.failures.map(\.occurrences) == result.failures.map(\.occurrences).sorted(by: >))
        #expect(result.rows.map(\.name) == ["even", "odd"])
    }

    @Test("a configuration out of range is refused with every problem named")
    func badConfiguration() async throws {
        let config = LoadTestConfiguration(concurrency: 0, rate: -1, duration: 0)
        #expect(config.problems == ["--concurrency must be 1…10000, got 0",
                                    "--duration must be > 0 and ≤ 3600 seconds, got 0.0",
                                    "--rate must be > 0 and ≤ 10000000 per second, got -1.0"])
        await #expect(throws: LoadFailure.self) {
            _ = try await LoadTester(target: SleepingTarget(milliseconds: 1), configuration: config).run()
        }
    }
}

/// Blocks the calling thread (from a task: one of the cooperative pool's threads).
private func blockThread(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
