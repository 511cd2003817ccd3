import Testing
import Foundation
import ModelIO
import NetSpec
@testable import Reference

@Suite struct InputPreprocessingTests {
    @Test func normalizesWithScaleMeanAndStd() throws {
        // (p·1 − 128) / 2 for p = 0, 130, 255 → −64, 1, 63.5.
        let network = try NetworkSpec.parse("input 1x1x3 scale=1 mean=128 std=2\nflatten\n")
        let batch = InputPreprocessing.batch(from: [0, 130, 255, 128, 128, 132], count: 2, input: network.input)
        #expect(batch == t([2, 1, 1, 3], [-64, 1, 63.5, 0, 0, 2]))
    }

    @Test func agreesWithInputSpecNormalizeForEveryPixelValue() throws {
        let network = try NetworkSpec.parse("input 1x16x16 scale=1/255 mean=0.1307 std=0.3081\nflatten\n")
        let pixels = (0...255).map(UInt8.init)
        let batch = InputPreprocessing.batch(from: pixels, count: 1, input: network.input)
        #expect(batch.scalars == pixels.map(network.input.normalize))
    }
}

@Suite struct EvaluationTests {
    // truth [0,1,2,2,2], predicted [0,0,2,2,1]:
    // class a: predicted twice, right once → precision 0.5, recall 1/1, F1 2·0.5·1/1.5 = 0.6667, support 1.
    // class b: predicted once, never right → 0, 0, 0, support 1.
    // class c: predicted twice, right twice → precision 1, recall 2/3, F1 0.8, support 3.
    // accuracy 3/5; macro: (0.5+0+1)/3 = 0.5, (1+0+0.6667)/3 = 0.5556, (0.6667+0+0.8)/3 = 0.4889;
    // weighted: (0.5+0+3)/5 = 0.7, (1+0+2)/5 = 0.6, (0.6667+0+2.4)/5 = 0.6133.
    static func example() throws -> Evaluation {
        try Evaluation(predictions: [0, 0, 2, 2, 1], labels: [0, 1, 2, 2, 2], classNames: ["a", "b", "c"])
    }

    @Test func countsAndMetrics() throws {
        let e = try Self.example()
        #expect(e.confusion == [[1, 0, 0], [1, 0, 0], [0, 1, 2]])
        #expect(e.correct == 3 && e.total == 5 && e.accuracy == 0.6)
        #expect(e.perClass.map(\.support) == [1, 1, 3])
        #expect(e.perClass.map(\.precision) == [0.5, 0, 1])
        #expect(e.perClass.map(\.recall) == [1, 0, 2.0 / 3])
        #expect(abs(e.perClass[0].f1 - 2.0 / 3) < 1e-12 && e.perClass[1].f1 == 0 && abs(e.perClass[2].f1 - 0.8) < 1e-12)
        #expect(abs(e.weightedAverage.f1 - (2.0 / 3 + 2.4) / 5) < 1e-12)
        #expect(e.macroAverage.precision == 0.5)
    }

    @Test func rejectsMismatchedOrOutOfRangeInput() {
        #expect(throws: InterpreterError("evaluation has 2 predictions but 1 labels")) {
            try Evaluation(predictions: [0, 1], labels: [0], classNames: ["a", "b"])
        }
        #expect(throws: InterpreterError("label 7 at index 1 is not a class index 0..<2")) {
            try Evaluation(predictions: [0, 1], labels: [0, 7], classNames: ["a", "b"])
        }
    }

    @Test func predictedClassIsTheFirstHighestScore() {
        let output = t([3, 3], [0.1, 0.7, 0.2, 5, 5, 1, -3, -2, -1])
        #expect(Evaluation.predictedClasses(from: output) == [1, 0, 2])
    }

    @Test func evaluateRunsInBatchesAndScoresArgmax() throws {
        // Identity dense: prediction = index of the larger pixel. Images [5,3] → 0, [1,9] → 1, [4,2] → 0.
        let net = try interpreter("input 1x1x2 scale=1\nflatten\ndense units=2 bias=false\nsoftmax\n",
                                  ["dense.weight": t([2, 2], [1, 0, 0, 1])])
        let e = try net.evaluate(pixels: [5, 3, 1, 9, 4, 2], labels: [0, 0, 0], batchSize: 2)
        #expect(e.predictions == [0, 1, 0])
        #expect(e.correct == 2)
        #expect(throws: InterpreterError("5 pixels for 3 labels; expected 6 (1x1x2 per image)")) {
            try net.evaluate(pixels: [5, 3, 1, 9, 4], labels: [0, 0, 0])
        }
    }
}

@Suite struct EvaluationReportTests {
    @Test func textReportIsLaidOutLikeSklearn() throws {
        let expected = """
            accuracy: 60.00% (3/5)
            speed: 12.5 images/s

            confusion matrix (rows: true class, columns: predicted class)
            true\\pred  a  b  c
                    a  1  0  0
                    b  1  0  0
                    c  0  1  2

                          precision    recall  f1-score   support

                       a     0.5000    1.0000    0.6667         1
                       b     0.0000    0.0000    0.0000         1
                       c     1.0000    0.6667    0.8000         3

                accuracy                         0.6000         5
               macro avg     0.5000    0.5556    0.4889         5
            weighted avg     0.7000    0.6000    0.6133         5

            """
        #expect(EvaluationReport.text(try EvaluationTests.example(), imagesPerSecond: 12.5) == expected)
    }

    @Test func confusionMatrixAlignsWideCountsAndLongNames() throws {
        let e = try Evaluation(predictions: [Int](repeating: 0, count: 12) + [1], labels: [Int](repeating: 0, count: 13),
                               classNames: ["zero", "one"])
        let expected = """
            confusion matrix (rows: true class, columns: predicted class)
            true\\pred  zero   one
                 zero    12     1
                  one     0     0

            """
        #expect(EvaluationReport.confusionMatrix(e) == expected)
    }

    @Test func jsonCarriesTheSameNumbers() throws {
        let e = try EvaluationTests.example()
        let text = try EvaluationReport.json(e, imagesPerSecond: 12.5)
        let document = try JSONDecoder().decode(EvaluationReport.Document.self, from: Data(text.utf8))
        #expect(document == EvaluationReport.Document(e, imagesPerSecond: 12.5))
        #expect(document.confusionMatrix == [[1, 0, 0], [1, 0, 0], [0, 1, 2]])
        #expect(document.perClass.map(\.label) == ["a", "b", "c"])
        #expect(text.contains("\"images_per_second\" : 12.5"))
        #expect(text.contains("\"weighted_avg\""))
        #expect(!(try EvaluationReport.json(e)).contains("images_per_second"))
    }
}
