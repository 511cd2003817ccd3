import Runtime

/// The model file: header, the `Predictor` class whose `predict` is one kernel call per layer, and the
/// `Layout` constants (placements, shapes, strides, zero points, blob offsets) those calls read.
enum PredictorTemplate {
    static func render(_ source: CompilationSource, _ plan: PredictorPlan, typeName: String, sourceLine: String) -> String {
        let model = source.model
        let inputCount = model.inputShape.elementCount
        var calls: [String] = []
        var constants: [String] = []
        var names: [String] = []
        var used: Set<String> = ["input", "logits"]
        for step in plan.steps {
            var name = SwiftLiteral.identifier(step.layer)
            while used.contains(name) { name += "_" }
            used.insert(name)
            names.append(name)
        }
        for (k, step) in plan.steps.enumerated() {
            let name = names[k]
            let indent = "        "
            let (constant, call): (String, String)
            switch step.kernel {
            case .convolution(let l) where step.pooledBy != nil:
                (constant, call) = (ConvolutionTemplate.constant(l, indent: indent), ConvolutionTemplate.call(name, pooledBy: names[k + 1]))
            case .maxPool(let l) where step.runsWithPrevious:
                (constant, call) = (PoolTemplate.constant(l, indent: indent), "// (runs in the call above)")
            case .convolution(let l): (constant, call) = (ConvolutionTemplate.constant(l, indent: indent), ConvolutionTemplate.call(name, dense: false))
            case .dense(let l): (constant, call) = (ConvolutionTemplate.constant(l, indent: indent), ConvolutionTemplate.call(name, dense: true))
            case .depthwise(let l): (constant, call) = (DepthwiseTemplate.constant(l, indent: indent), DepthwiseTemplate.call(name))
            case .maxPool(let l): (constant, call) = (PoolTemplate.constant(l, indent: indent), "Kernels.maxPool(Layout.\(name), scratch: s, path: path)")
            case .averagePool(let l): (constant, call) = (PoolTemplate.constant(l, indent: indent), PoolTemplate.call(name, kernel: "averagePool"))
            case .globalAveragePool(let l): (constant, call) = (PoolTemplate.constant(l, indent: indent), PoolTemplate.call(name, kernel: "globalAveragePool"))
            case .add(let l): (constant, call) = (ElementwiseTemplate.add(l, indent: indent), ElementwiseTemplate.call(name, kernel: "add"))
            case .concat(let l): (constant, call) = (ElementwiseTemplate.concat(l, indent: indent), ElementwiseTemplate.call(name, kernel: "concat"))
            case .relu(let from, let to): (constant, call) = (ElementwiseTemplate.relu(from: from, to: to, indent: indent), ElementwiseTemplate.call(name, kernel: "relu"))
            }
            calls.append("        // \(step.layer): \(step.summary)\n        \(call)")
            constants.append("        /// \(step.layer): \(step.summary)\n        static let \(name) = \(constant)")
        }
        let grouped = BatchTemplate.groupedDense(plan)
        let fills = plan.fills.isEmpty ? "[]" : SwiftLiteral.array(
            plan.fills.map { "(offset: \($0.offset), count: \($0.count), value: \($0.value))" }, indent: "    ")
        let labels = model.labels.map { "\"\($0)\"" }.joined(separator: ", ")
        let info = SwiftLiteral.call("ModelInfo", [
            ("name", "\"\(model.name)\""), ("specPath", "\"\(source.specPath)\""),
            ("specSHA256", "\"\(source.specSHA256)\""), ("weightsSHA256", "\"\(source.weightsSHA256)\""),
            ("inputShape", "\(model.inputShape.dims)"), ("labels", "[\(labels)]"), ("macs", "\(source.macs)"),
            ("parameters", "\(source.parameters)"), ("outputScale", "\(model.outputQuantization.scale)"),
            ("outputZeroPoint", "\(model.outputQuantization.zeroPoint)"),
        ], indent: "    ")
        return """
            \(FileHeaderTemplate.render(source, file: "\(typeName).swift", sourceLine: sourceLine))

            import Runtime

            /// `\(model.name)` (\(source.specPath)): \(model.inputShape) pixels → \(plan.outputCount) int8 logits, \
            \(source.macs) MACs, \(source.parameters) parameters.
            public final class \(typeName): Predictor {
                public static let info = \(info)

                public let path: KernelPath
                /// Activations of one prediction; borders hold zero points and are written only here.
                private let scratch = Scratch(byteCount: \(plan.scratchBytes), fills: \(grouped == nil ? fills : "\(typeName).fills"))
                private let weights = Weights.blob.base\(grouped.map { "\n" + BatchTemplate.members($0, fills: fills,
                    names: names, calls: calls, model: model.name, typeName: typeName, inputCount: inputCount, outputCount: plan.outputCount) } ?? "")

                public init(path: KernelPath) {
                    self.path = Kernels.effectivePath(path)
                }

                public func predict(pixels: UnsafeBufferPointer<UInt8>, logits: UnsafeMutableBufferPointer<Int8>) throws(PredictionError) {
                    guard pixels.count == \(inputCount), logits.count == \(plan.outputCount),
                          let pixelBase = pixels.baseAddress, let logitBase = logits.baseAddress else {
                        throw PredictionError("\(model.name): expected \(inputCount) pixels and \(plan.outputCount) logits, got \\(pixels.count) and \\(logits.count)")
                    }
                    let (s, w) = (scratch.base, weights)
                    PortableKernels.loadInput(pixelBase, into: Layout.input, scratch: s)
            \(calls.joined(separator: "\n"))
                    PortableKernels.storeOutput(Layout.logits, scratch: s, to: logitBase)
                }

                /// Every constant of the predictor: where each tensor lives in `scratch` (HWC, stored as q + 128) and
                /// each layer's shapes, strides, zero points and offsets into the weight blob.
                enum Layout {
                    static let input = \(SwiftLiteral.placement(plan.input, indent: "        "))
            \(constants.joined(separator: "\n"))
                    static let logits = \(SwiftLiteral.placement(plan.output, indent: "        "))
                }
            }

            """
    }
}

/// The first lines of every generated file: what it is, where it came from, how to regenerate. No timestamp.
enum FileHeaderTemplate {
    static func render(_ source: CompilationSource, file: String, sourceLine: String) -> String {
        """
        // \(file): the `\(source.model.name)` network compiled to a specialized int8 predictor. DO NOT EDIT.
        // Generated by `digits compile` from \(source.specPath); regenerate with:
        //     \(source.command)
        // source: \(sourceLine)
        // spec sha256:    \(source.specSHA256)
        // weights sha256: \(source.weightsSHA256)
        """
    }
}
