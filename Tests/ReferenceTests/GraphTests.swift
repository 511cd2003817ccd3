import Testing
import ModelIO
@testable import Reference

@Suite struct GraphTests {
    // c1 = 2x; r1 = relu(c1); c2 = 3·r1; res = relu(c2 + c1 + x). c1 must stay alive past r1 and c2.
    static let spec = """
        input 1x2x2
        c1: conv2d filters=1 kernel=1 bias=false
        r1: relu
        c2: conv2d(r1) filters=1 kernel=1 bias=false
        res: add(c2, c1, input) activation=relu
        out: flatten(res)
        """
    static let weights = ["c1.weight": t([1, 1, 1, 1], [2]), "c2.weight": t([1, 1, 1, 1], [3])]
    // x = [1, −1, 2, −3]: c1 = [2, −2, 4, −6], r1 = [2, 0, 4, 0], c2 = [6, 0, 12, 0],
    // c2 + c1 + x = [9, −3, 18, −9] → relu [9, 0, 18, 0].
    static let x = t([1, 1, 2, 2], [1, -1, 2, -3])

    @Test func residualGraphWithExplicitInputs() throws {
        let net = try interpreter(Self.spec, Self.weights)
        #expect(try net.run(Self.x) == t([1, 4], [9, 0, 18, 0]))
    }

    @Test func runAllReturnsEveryLayerOutput() throws {
        let net = try interpreter(Self.spec, Self.weights)
        let outputs = try net.runAll(Self.x)
        #expect(outputs == [
            t([1, 1, 2, 2], [2, -2, 4, -6]),
            t([1, 1, 2, 2], [2, 0, 4, 0]),
            t([1, 1, 2, 2], [6, 0, 12, 0]),
            t([1, 1, 2, 2], [9, 0, 18, 0]),
            t([1, 4], [9, 0, 18, 0]),
        ])
    }

    @Test func emptyBatchGivesEmptyOutput() throws {
        let net = try interpreter(Self.spec, Self.weights)
        #expect(try net.run(t([0, 1, 2, 2], [])) == t([0, 4], []))
    }
}

@Suite struct InterpreterErrorTests {
    @Test func missingTensorIsNamedWithItsShape() {
        #expect(throws: InterpreterError("weights have no tensor 'c2.weight' (expected shape [1, 1, 1, 1]) for layer 'c2' at test.spec:4:1")) {
            try interpreter(GraphTests.spec, ["c1.weight": t([1, 1, 1, 1], [2])])
        }
    }

    @Test func wrongShapeNamesExpectedAndFound() {
        #expect(throws: InterpreterError("weights tensor 'c1.weight' has shape [1, 1], expected [1, 1, 1, 1] for layer 'c1' at test.spec:2:1")) {
            try interpreter(GraphTests.spec, ["c1.weight": t([1, 1], [2]), "c2.weight": t([1, 1, 1, 1], [3])])
        }
    }

    @Test func extraTensorsAreIgnored() throws {
        var weights = GraphTests.weights
        weights["bn.num_batches_tracked"] = t([1], [0])
        #expect(try interpreter(GraphTests.spec, weights).run(GraphTests.x) == t([1, 4], [9, 0, 18, 0]))
    }

    @Test func wrongBatchShapeIsReported() throws {
        let net = try interpreter(GraphTests.spec, GraphTests.weights)
        #expect(throws: InterpreterError("input batch has shape [1, 2, 2], expected [N, 1, 2, 2] for network 'test'")) {
            try net.run(t([1, 2, 2], [1, 2, 3, 4]))
        }
    }
}
