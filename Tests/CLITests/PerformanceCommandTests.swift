import Foundation
import Testing

@Suite("profile, bench and loadtest commands")
struct PerformanceCommandTests {
    @Test("loadtest in-process: JSON result and an SVG chart; every request recognized")
    func loadtestInProcess() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let chart = directory.appendingPathComponent("load.svg").path
        let r = try CLIRunner.run(["loadtest", "lenet5", "--concurrency", "2", "--duration", "0.5", "--json", "--chart", chart])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let aggregate = try #require(json["aggregate"] as? [String: Any])
        #expect((aggregate["requests"] as? Int ?? 0) > 0)
        #expect(aggregate["failures"] as? Int == 0)
        #expect(try String(contentsOfFile: chart, encoding: .utf8).hasPrefix("<svg "))
    }

    @Test("loadtest argument errors are one line, exit 1")
    func loadtestErrors() throws {
        let cases: [([String], String)] = [
            (["loadtest", "--concurrency", "1", "--duration", "1"], "give a MODEL for an in-process test, or --url for a server\n"),
            (["loadtest", "lenet5", "--url", "http://127.0.0.1:9", "--concurrency", "1", "--duration", "1"],
             "give either MODEL (in-process) or --url (a server), not both\n"),
            (["loadtest", "lenet5", "--concurrency", "0", "--duration", "1"], "--concurrency must be 1…10000, got 0\n"),
            (["loadtest", "nosuch", "--concurrency", "1", "--duration", "1"],
             "no compiled model named 'nosuch'; compiled models: best, convpool, lenet5, resnet, seed\n"),
            (["loadtest", "--url", "http://127.0.0.1:9", "--scenario", "browse", "--concurrency", "1", "--duration", "1"],
             "--scenario browse: expected one of predict, page-and-predict\n"),
            (["loadtest", "lenet5", "--concurrency", "1", "--duration", "1", "--chart", "out.png"],
             "--chart out.png: the file name must end in .svg or .html\n"),
        ]
        for (arguments, message) in cases {
            let r = try CLIRunner.run(arguments)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderr == message, "\(arguments)")
        }
    }

    @Test("profile --json: one row per layer with MACs, and the float comparison")
    func profileJSON() throws {
        let r = try CLIRunner.run(["profile", "lenet5", "--seconds", "0.3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let layers = try #require(json["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String ?? "" } == ["conv2d", "maxpool", "conv2d_1", "maxpool_1", "dense", "dense_1", "dense_2"])
        #expect(layers.map { $0["macs"] as? Int ?? -1 } == [117_600, 0, 240_000, 0, 48_000, 10_080, 840])
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["macs"] as? Int == 416_520)
        #expect((total["speedupOverFloat"] as? Double ?? 0) > 0)
        #expect((json["peakGMACPerSecond"] as? Double ?? 0) > 0)
    }

    @Test("bench rejects bad lists in one line")
    func benchErrors() throws {
        let r = try CLIRunner.run(["bench", "lenet5", "--batch", "1,x"])
        #expect(r.status == 1)
        #expect(r.stderr == "--batch 1,x: expected comma-separated integers in 1…4096\n")
    }
}
