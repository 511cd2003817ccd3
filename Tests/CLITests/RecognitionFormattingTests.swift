import Recognition
import Testing
@testable import digits

@Suite("Recognition output formatting")
struct RecognitionFormattingTests {
    static let probabilities = [0.001, 0.0, 0.05, 0.0001, 0.0, 0.1234, 0.0, 0.8, 0.02, 0.0055]

    @Test func barChartText() {
        let chart = ProbabilityChart(width: 20).render(Self.probabilities, labels: (0..<10).map(String.init), predicted: 7)
        #expect(chart == """
              0 │                       0.10 %
              1 │                       0.00 %
              2 │█                      5.00 %
              3 │                       0.01 %
              4 │                       0.00 %
              5 │██▌                   12.34 %
              6 │                       0.00 %
            ▶ 7 │████████████████      80.00 %
              8 │▍                      2.00 %
              9 │▏                      0.55 %

            """)
    }

    @Test func barsRoundToEighths() {
        #expect(ProbabilityChart.bar(1, width: 30) == String(repeating: "█", count: 30))
        #expect(ProbabilityChart.bar(0.5 / 30 / 8, width: 30) == "▏")
        #expect(ProbabilityChart.bar(0.49 / 30 / 8, width: 30) == "")
        #expect(ProbabilityChart.bar(7.0 / 8 / 30, width: 30) == "▉")
        #expect(ProbabilityChart.bar(.nan, width: 30) == "")
        #expect(ProbabilityChart.bar(2, width: 4) == "████")
    }

    @Test func colourOnlyWhenAllowed() {
        let plain = ProbabilityChart(width: 4, style: .plain).render([0, 1], labels: ["a", "b"], predicted: 1)
        #expect(plain == "  a │       0.00 %\n▶ b │████ 100.00 %\n")
        let coloured = ProbabilityChart(width: 4, style: TerminalStyle(colors: true)).render([0, 1], labels: ["a", "b"], predicted: 1)
        #expect(coloured == "  a │       0.00 %\n▶ \u{1B}[1mb\u{1B}[0m │\u{1B}[32m████\u{1B}[0m \u{1B}[1m100.00 %\u{1B}[0m\n")
        #expect(TerminalStyle.forStandardOutput(environment: ["NO_COLOR": "1"]) == .plain)
    }

    @Test func latencyLine() {
        let text = RecognitionText(labels: []).latency(StageTimes(decode: 0.000_214, preprocess: 0.0004, inference: 0.000_051_2))
        #expect(text == "latency: decode 0.214 ms, preprocess 0.400 ms, inference 0.051 ms, total 0.665 ms")
    }

    @Test func numberedDebugFiles() {
        #expect(PredictCommand.numbered("out.png", 3) == "out-3.png")
        #expect(PredictCommand.numbered("dir.v2/out", 1) == "dir.v2/out-1")
        #expect(PredictCommand.numbered("a/b.c/x.png", 2) == "a/b.c/x-2.png")
        #expect(PredictCommand.numbered(".png", 1) == ".png-1")
    }
}
