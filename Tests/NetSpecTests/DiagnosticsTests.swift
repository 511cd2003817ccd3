import Testing
@testable import NetSpec

/// Every error the spec compiler reports, with its exact position and text.
@Suite struct DiagnosticsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ lines: [String], _ expected: String...) {
            self.name = name
            self.source = lines.joined(separator: "\n") + "\n"
            self.expected = expected.map { "t.spec:" + $0 }
        }
    }

    static let kinds = "conv2d, depthwise_conv2d, maxpool, avgpool, global_avgpool, dense, flatten, relu, batchnorm, dropout, add, concat, softmax"
    static let convAttributes = "filters, kernel, stride, padding, activation, bias"

    static let lexer: [Case] = [
        Case("bad character", ["input 1x28x28", "conv2d filters=8 kernel=3 @"], "2:27: error: unexpected character '@'"),
        Case("malformed number", ["input 1x28x28 scale=1.2.3"], "1:21: error: malformed number '1.2.3'"),
        Case("letters in a number", ["input 1x28x28", "dense units=10k"], "2:13: error: malformed number '10k'"),
        Case("malformed dims", ["input 1x28x28", "conv2d filters=8 kernel=3x"],
             "2:25: error: malformed dimensions '3x': expected whole numbers separated by 'x', like 3x3 or 1x28x28"),
        Case("unterminated string", ["input 1x28x28", "labels \"zero one"],
             "2:8: error: unterminated string: expected '\"' before end of line"),
        Case("unterminated string at end of file", ["input 1x28x28", "labels \"zero"],
             "2:8: error: unterminated string: expected '\"' before end of line"),
        Case("backslash inside a line", ["input 1x28x28", "conv2d \\ filters=8 kernel=3"],
             "2:8: error: '\\' continues a line only at the end of the line"),
        Case("every bad line is reported", ["input 1x28x28 $", "flatten", "dense units=10 ?"],
             "1:15: error: unexpected character '$'", "3:16: error: unexpected character '?'"),
    ]

    static let parser: [Case] = [
        Case("missing equals", ["input 1x28x28", "conv2d filters 8 kernel=3"],
             "2:16: error: expected '=' after attribute 'filters', found a number"),
        Case("missing value", ["input 1x28x28", "conv2d filters= kernel=3"],
             "2:17: error: expected a value for 'filters', found 'kernel'"),
        Case("kind missing after name", ["input 1x28x28", "a:"], "2:3: error: expected a layer kind after ':', found end of line"),
        Case("unclosed input list", ["input 1x28x28", "a: relu(input"],
             "2:14: error: expected ',' or ')' in the input list, found end of line"),
        Case("stray token after a statement", ["input 1x28x28", "flatten 3"], "2:9: error: expected end of line, found a number"),
        Case("input shape must be dims", ["input 28"], "1:7: error: expected the input shape as CxHxW, like 1x28x28, found a number"),
        Case("division by zero", ["input 1x28x28 scale=1/0"], "1:23: error: division by zero in 'scale'"),
        Case("network needs a name", ["network", "input 1x28x28"], "1:8: error: expected a network name, found end of line"),
        Case("labels need a label", ["input 1x28x28", "labels"], "2:7: error: expected at least one label, found end of line"),
        Case("all syntax errors at once", ["input 1x28x28", "conv2d filters 8", "dense units=", "flatten"],
             "2:16: error: expected '=' after attribute 'filters', found a number",
             "3:13: error: expected a value for 'units', found end of line"),
    ]

    static let names: [Case] = [
        Case("unknown layer kind with suggestion", ["input 1x28x28", "conv2D filters=8 kernel=3"],
             "2:1: error: unknown layer kind 'conv2D'; did you mean 'conv2d'? (known kinds: \(kinds))"),
        Case("unknown layer kind without suggestion", ["input 1x28x28", "lstm units=8"],
             "2:1: error: unknown layer kind 'lstm' (known kinds: \(kinds))"),
        Case("duplicate layer name", ["input 1x28x28", "a: conv2d filters=8 kernel=3", "a: relu"],
             "3:1: error: layer name 'a' already used on line 2"),
        Case("layer named input", ["input 1x28x28", "input: relu"],
             "2:1: error: 'input' is reserved for the network input; choose another layer name"),
        Case("layer name with a dot", ["input 1x28x28", "my.conv: conv2d filters=8 kernel=3"],
             "2:1: error: layer name 'my.conv' may only contain letters, digits and '_' (it becomes the weight name 'my.conv.weight')"),
        Case("unknown input with suggestion", ["input 1x28x28", "stem: conv2d filters=8 kernel=3", "x: relu(stme)"],
             "3:9: error: unknown input 'stme'; did you mean 'stem'? (layers defined so far: input, stem)"),
        Case("forward reference", ["input 1x28x28", "a: conv2d filters=8 kernel=3 padding=same", "b: add(a, c)", "c: relu(a)"],
             "3:11: error: layer 'c' is defined later (line 4); a layer can only read layers above it"),
        Case("self reference", ["input 1x28x28", "a: conv2d filters=8 kernel=3 padding=same", "b: add(a, b)"],
             "3:11: error: layer 'b' cannot read its own output; list the layers above it that it reads"),
        Case("add with one explicit input", ["input 1x28x28", "a: conv2d filters=8 kernel=3", "b: add(a)"],
             "3:4: error: add takes at least 2 inputs, found 1"),
        Case("add in sequential style", ["input 1x28x28", "conv2d filters=8 kernel=3", "add"],
             "3:1: error: add takes at least 2 inputs, found 1; list them like add(a, b)"),
        Case("relu with two inputs", ["input 1x28x28", "a: conv2d filters=8 kernel=3", "relu(a, a)"],
             "3:1: error: relu takes exactly 1 input, found 2"),
        Case("empty input list", ["input 1x28x28", "relu()"], "2:1: error: relu takes exactly 1 input, found 0"),
    ]

    static let attributes: [Case] = [
        Case("misspelled attribute", ["input 1x28x28", "conv2d filter=8 kernel=3"],
             "2:8: error: unknown attribute 'filter' for conv2d; did you mean 'filters'? (known attributes: \(convAttributes))"),
        Case("attribute on a kind without attributes", ["input 1x28x28", "flatten size=2"],
             "2:9: error: unknown attribute 'size' for flatten (it takes no attributes)"),
        Case("word for a number", ["input 1x28x28", "conv2d filters=eight kernel=3"],
             "2:16: error: conv2d attribute 'filters' expects a positive whole number, found 'eight'"),
        Case("fraction for a count", ["input 1x28x28", "conv2d filters=2.5 kernel=3"],
             "2:16: error: conv2d attribute 'filters' expects a positive whole number, found '2.5'"),
        Case("zero units", ["input 1x28x28", "flatten", "dense units=0"],
             "3:13: error: dense attribute 'units' expects a positive whole number, found '0'"),
        Case("three dims for a kernel", ["input 1x28x28", "conv2d filters=8 kernel=3x3x3"],
             "2:25: error: conv2d attribute 'kernel' expects a size like 3 or 3x3 (positive whole numbers), found '3x3x3'"),
        Case("misspelled choice", ["input 1x28x28", "conv2d filters=8 kernel=3 padding=sam"],
             "2:35: error: conv2d attribute 'padding' expects one of valid, same, found 'sam'; did you mean 'same'?"),
        Case("number for a bool", ["input 1x28x28", "conv2d filters=8 kernel=3 bias=1"],
             "2:32: error: conv2d attribute 'bias' expects true or false, found '1'"),
        Case("string for a choice", ["input 1x28x28", "flatten", "dense units=10 activation=\"relu\""],
             "3:27: error: dense attribute 'activation' expects one of none, relu, found '\"relu\"'"),
        Case("dropout rate of one", ["input 1x28x28", "dropout rate=1"],
             "2:14: error: dropout attribute 'rate' expects a number in [0, 1), found '1'"),
        Case("batchnorm epsilon of zero", ["input 1x28x28", "batchnorm epsilon=0"],
             "2:19: error: batchnorm attribute 'epsilon' expects a number in (0, 1], found '0'"),
        Case("input scale of zero", ["input 1x28x28 scale=0", "flatten", "dense units=10"],
             "1:21: error: input attribute 'scale' expects a positive number such as 1/255, found '0'"),
        Case("input std word", ["input 1x28x28 std=one", "flatten", "dense units=10"],
             "1:19: error: input attribute 'std' expects a positive number, found 'one'"),
        Case("unknown input attribute", ["input 1x28x28 scal=1/255", "flatten", "dense units=10"],
             "1:15: error: unknown attribute 'scal' for input; did you mean 'scale'? (known attributes: scale, mean, std)"),
        Case("missing filters", ["input 1x28x28", "conv2d kernel=3"],
             "2:1: error: conv2d needs attribute 'filters' (a positive whole number)"),
        Case("missing units", ["input 1x28x28", "flatten", "fc: dense"],
             "3:5: error: dense needs attribute 'units' (a positive whole number)"),
        Case("missing kernel", ["input 1x28x28", "depthwise_conv2d"],
             "2:1: error: depthwise_conv2d needs attribute 'kernel' (a size like 3 or 3x3)"),
        Case("every bad value of a statement at once", ["input 1x28x28", "conv2d padding=full kernel=0 bias=yes"],
             "2:1: error: conv2d needs attribute 'filters' (a positive whole number)",
             "2:16: error: conv2d attribute 'padding' expects one of valid, same, found 'full'",
             "2:28: error: conv2d attribute 'kernel' expects a size like 3 or 3x3 (positive whole numbers), found '0'",
             "2:35: error: conv2d attribute 'bias' expects true or false, found 'yes'"),
        Case("every bad input attribute at once", ["input 1x28x28 std=0 scale=-1", "flatten", "dense units=10"],
             "1:19: error: input attribute 'std' expects a positive number, found '0'",
             "1:27: error: input attribute 'scale' expects a positive number such as 1/255, found '-1'"),
        Case("duplicate attribute", ["input 1x28x28", "conv2d filters=8 filters=16 kernel=3"],
             "2:18: error: attribute 'filters' given twice (first at line 2, column 8)"),
    ]

    static let structure: [Case] = [
        Case("no input statement", ["conv2d filters=8 kernel=3"],
             "1:1: error: layers must come after 'input CxHxW', which is missing above this line"),
        Case("empty spec", ["# nothing here"], "1:1: error: missing 'input CxHxW' statement (for MNIST: input 1x28x28)"),
        Case("input without layers", ["network x", "input 1x28x28"], "2:1: error: the network has no layers after 'input'"),
        Case("input with two dims", ["input 28x28", "flatten", "dense units=10"],
             "1:7: error: input shape must be channels x height x width with positive sizes, like 1x28x28; found '28x28'"),
        Case("two inputs", ["input 1x28x28", "input 1x8x8", "flatten", "dense units=10"],
             "2:1: error: 'input' given twice; a network has one input"),
        Case("two network names", ["network a", "network b", "input 1x28x28", "flatten", "dense units=10"],
             "2:1: error: 'network' given twice (first at line 1)"),
        Case("unused layer", ["input 1x28x28", "a: conv2d filters=8 kernel=3", "b: conv2d(input) filters=8 kernel=3",
                              "flatten", "dense units=10"],
             "2:1: error: the output of layer 'a' is never used; only the last layer ('dense') is the network's output"),
        Case("output not flat", ["input 1x28x28", "conv2d filters=8 kernel=3"],
             "2:1: error: the network's output ('conv2d', 8x26x26) must be a flat vector of class scores; end with dense (and softmax)"),
        Case("label count mismatch", ["input 1x28x28", "labels a b c", "flatten", "dense units=10"],
             "2:1: error: 3 labels given but the network's output ('dense') has 10 classes"),
        Case("duplicate label", ["input 1x28x28", "labels a b a", "flatten", "dense units=3"],
             "2:12: error: label 'a' appears twice (first on line 2)"),
        Case("two labels statements", ["input 1x28x28", "labels a b", "labels c d", "flatten", "dense units=2"],
             "3:1: error: 'labels' given twice"),
    ]

    static let shapes: [Case] = [
        Case("add of different shapes", ["input 1x28x28", "a: conv2d filters=16 kernel=3 padding=same",
                                         "b: conv2d(input) filters=32 kernel=3 stride=2 padding=same", "c: add(a, b)"],
             "4:4: error: layer 'c': add needs inputs of the same shape, found 'a' (16x28x28) and 'b' (32x14x14)"),
        Case("dense after conv without flatten", ["input 1x28x28", "conv2d filters=8 kernel=3", "dense units=10"],
             "3:1: error: layer 'dense': dense expects a flat input, found 'conv2d' (8x26x26); add 'flatten' or 'global_avgpool' before it"),
        Case("kernel larger than input", ["input 1x4x4", "conv2d filters=8 kernel=5"],
             "2:1: error: layer 'conv2d': kernel 5x5 does not fit the 4x4 input 'input' (1x4x4) with padding=valid; use a smaller kernel or padding=same"),
        Case("pool window larger than input", ["input 1x28x28", "conv2d filters=2 kernel=27", "maxpool size=3"],
             "3:1: error: layer 'maxpool': pool window 3x3 does not fit the 2x2 input 'conv2d' (2x2x2) with padding=valid; use a smaller pool window or padding=same"),
        Case("conv after flatten", ["input 1x28x28", "flatten", "conv2d filters=8 kernel=3"],
             "3:1: error: layer 'conv2d': conv2d expects a CxHxW feature map, found 'flatten' (784); it cannot follow a flat layer such as dense or flatten"),
        Case("global_avgpool of a vector", ["input 1x28x28", "flatten", "global_avgpool"],
             "3:1: error: layer 'global_avgpool': global_avgpool expects a CxHxW feature map, found 'flatten' (784); it cannot follow a flat layer such as dense or flatten"),
        Case("softmax of a feature map", ["input 1x28x28", "softmax"],
             "2:1: error: layer 'softmax': softmax expects a flat input of class scores, found 'input' (1x28x28)"),
        Case("concat of different sizes", ["input 1x28x28", "a: maxpool", "b: concat(input, a)"],
             "3:4: error: layer 'b': concat joins along channels and needs equal height and width (or all flat), found 'input' (1x28x28) and 'a' (1x14x14)"),
        Case("concat of flat and spatial", ["input 1x28x28", "f: flatten", "b: concat(f, input)"],
             "3:4: error: layer 'b': concat joins along channels and needs equal height and width (or all flat), found 'f' (784) and 'input' (1x28x28)"),
    ]

    static let limits: [Case] = [
        Case("huge input", ["input 3x65536x65536"],
             "1:7: error: input shape '3x65536x65536' has 12884901888 elements, more than the limit of 4294967296"),
        Case("huge output", ["input 1x512x512", "conv2d filters=1000000 kernel=3 padding=same"],
             "2:1: error: layer 'conv2d' is too large: its output 1000000x512x512 has more than 4294967296 elements"),
        Case("huge weight", ["input 1x28x28", "flatten", "dense units=1000000", "dense units=1000000"],
             "4:1: error: layer 'dense_1' is too large: its weight 'dense_1.weight' [1000000, 1000000] has more than 4294967296 elements"),
        Case("huge compute", ["input 64x512x512", "conv2d filters=4096 kernel=64 padding=same"],
             "2:1: error: layer 'conv2d' is too large: it needs more than 17592186044416 multiply-accumulates per image"),
        Case("weight size overflowing Int", ["input 65536x1x1", "conv2d filters=1000000 kernel=100000 padding=same"],
             "2:1: error: layer 'conv2d' is too large: its weight 'conv2d.weight' [1000000, 65536, 100000, 100000] has more than 4294967296 elements"),
        Case("non-flat output is not spelled out as labels", ["input 1x512x512", "conv2d filters=16000 kernel=1"],
             "2:1: error: the network's output ('conv2d', 16000x512x512) must be a flat vector of class scores; end with dense (and softmax)"),
    ]

    @Test(arguments: limits) func sizeLimitErrors(_ c: Case) {
        #expect(SpecText.diagnostics(c.source) == c.expected)
    }

    @Test(arguments: lexer + parser) func syntaxErrors(_ c: Case) {
        #expect(SpecText.diagnostics(c.source) == c.expected)
    }

    @Test(arguments: names + attributes) func nameAndAttributeErrors(_ c: Case) {
        #expect(SpecText.diagnostics(c.source) == c.expected)
    }

    @Test(arguments: structure + shapes) func structureAndShapeErrors(_ c: Case) {
        #expect(SpecText.diagnostics(c.source) == c.expected)
    }

    @Test func diagnosticsPrintLikeACompilerAndKeepTheirParts() throws {
        let error = try #require(throws: SpecError.self) {
            try SpecText.network("conv2d filters=8 kernel=3", "dense units=10")
        }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.location == SourceLocation(file: "t.spec", line: 3, column: 1))
        #expect(diagnostic.severity == .error)
        #expect(error.description == diagnostic.description)
        #expect(diagnostic.description.hasPrefix("t.spec:3:1: error: layer 'dense': dense expects a flat input"))
    }
}
