import Foundation
import LoadTesting
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Load test report and chart")
struct ReportTests {
    static func summary(_ base: Double) -> LatencySummary {
        LatencySummary(count: 10, mean: base * 1.2, min: base / 2, max: base * 10,
                       percentiles: LatencySummary.reportPercentiles.map { .init(percentile: $0, value: base * (1 + $0 / 100)) })
    }

    static let result: LoadTestResult = {
        let predict = LoadTestResult.Row(name: "POST /api/v1/predict", requests: 9000, failures: 3,
                                         latency: summary(2), serviceTime: summary(0.5))
        let page = LoadTestResult.Row(name: "GET /", requests: 900, failures: 0, latency: summary(1), serviceTime: summary(0.25))
        let all = LoadTestResult.Row(name: "Aggregated", requests: 9900, failures: 3, latency: summary(2), serviceTime: summary(0.5))
        return LoadTestResult(
            target: "http://127.0.0.1:8080 (page-and-predict, 100 PNG digits)",
            configuration: LoadTestConfiguration(concurrency: 8, rate: 1000, duration: 10, warmup: 2),
            rows: [predict, page], aggregate: all,
            failures: [.init(name: "POST /api/v1/predict", reason: "HTTP 503 Service Unavailable", occurrences: 3)],
            elapsed: 10.01,
            timeline: (0..<10).map { .init(second: $0, requests: 990, failures: $0 == 3 ? 3 : 0, p50: 2, p90: 3, p99: 4 + Double($0)) })
    }()

    @Test("the text report of a fixed result, exactly")
    func reportText() throws {
        let expected = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/open-loop-report.txt"), encoding: .utf8)
        #expect(LoadTestReport.text(Self.result) == expected)
    }

    @Test("the SVG chart is well-formed XML with both panels, axes and every series")
    func chartIsWellFormed() throws {
        let svg = LoadTestChart.svg(Self.result)
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { String(describing: $0) } ?? "")")
        #expect(collector.elements.first == "svg")
        #expect(collector.elements.filter { $0 == "polyline" }.count == 5)  // req/s, failures/s, p50, p90, p99
        #expect(collector.texts.contains("Throughput (completed requests per second)"))
        #expect(collector.texts.contains("Latency per second (ms, from the intended send time)"))
        #expect(collector.texts.contains("seconds since the end of the warm-up"))
        #expect(collector.texts.contains("p99"))
        #expect(!svg.contains("<script"))
    }

    @Test("chart text is escaped")
    func chartEscapes() {
        var result = Self.result
        result.target = "a <b> & \"c\""
        #expect(LoadTestChart.svg(result).contains("Load test: a &lt;b&gt; &amp; &quot;c&quot;"))
    }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(text) }
        text = ""
    }
}
