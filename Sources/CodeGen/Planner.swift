import NetSpec
import Reference
import Runtime

/// Int8 model → `PredictorPlan`: placements, packed weights and one kernel call per layer.
public enum Planner {
    public static func plan(_ model: Int8Model) throws(CodeGenError) -> PredictorPlan {
        do { try model.validate() } catch { throw CodeGenError("model '\(model.name)': \(error.message)") }
        let layout = try TensorLayout(model: model)
        var blob = WeightBlobBuilder()
        var steps: [PredictorPlan.Step] = []
        var stepLayers: [Int] = []
        for (i, layer) in model.layers.enumerated() {
            let output = layout.placement(layer: i)
            let inputs = layer.inputs.map(layout.placement)
            let (qmin, qmax) = (Int32(layer.qmin) + 128, Int32(layer.qmax) + 128)
            let kernel: PredictorPlan.Kernel
            switch layer.op {
            case .convolution(let conv) where conv.groups == 1:
                kernel = .convolution(convolution(conv, layer, input: inputs[0], output: output, qmin: qmin, qmax: qmax, blob: &blob))
            case .convolution(let conv):
                kernel = .depthwise(depthwise(conv, layer, input: inputs[0], output: output, qmin: qmin, qmax: qmax, blob: &blob))
            case .dense(let dense):
                kernel = .dense(self.dense(dense, input: inputs[0], region: layout.region(layer.inputs[0]), output: output,
                                           qmin: qmin, qmax: qmax, blob: &blob))
            case .maxPool(let pool):
                kernel = .maxPool(self.pool(pool, layer, input: inputs[0], output: output, requantization: []))
            case .avgPool(let pool, let multipliers):
                let r = multipliers.map { Self.requantization($0, zero: output.zero, qmin: qmin, qmax: qmax) }
                kernel = .averagePool(self.pool(pool, layer, input: inputs[0], output: output, requantization: r))
            case .globalAvgPool(let multiplier):
                kernel = .globalAveragePool(PoolLayer(
                    input: inputs[0], output: output, kernelH: inputs[0].height, kernelW: inputs[0].width, strideY: 1,
                    strideX: 1, padTop: 0, padLeft: 0,
                    requantization: [Self.requantization(multiplier, zero: output.zero, qmin: qmin, qmax: qmax)]))
            case .add(let multipliers, let shift):
                kernel = .add(AddLayer(inputs: inputs, multipliers: multipliers.map(Int64.init), shift: Int64(shift),
                                       output: output, outMin: qmin, outMax: qmax))
            case .concat(let multipliers):
                kernel = .concat(ConcatLayer(
                    inputs: inputs,
                    requantization: multipliers.map { Self.requantization($0, zero: output.zero, qmin: qmin, qmax: qmax) },
                    output: output))
            case .relu:
                kernel = .relu(from: inputs[0], to: output)
            case .flatten:
                continue
            }
            steps.append(PredictorPlan.Step(layer: layer.name, summary: Self.summary(layer), kernel: kernel, macs: Self.macs(layer)))
            stepLayers.append(i)
        }
        pairPools(&steps, layers: stepLayers, model: model, layout: layout)
        let last = model.layers.count - 1
        return PredictorPlan(input: layout.placement(.networkInput), output: layout.placement(layer: last),
                             outputCount: model.layers[last].outputShape.elementCount, steps: steps,
                             scratchBytes: layout.scratchBytes, fills: layout.fills, weights: blob.bytes)
    }

    /// Marks each convolution whose output is read only by the 2×2, stride-2, unpadded max pool right after it,
    /// so the two run as one call (docs/codegen.md, "Convolution + max pool").
    static func pairPools(_ steps: inout [PredictorPlan.Step], layers stepLayers: [Int], model: Int8Model,
                          layout: TensorLayout) {
        var readers = [Int](repeating: 0, count: model.layers.count)
        for layer in model.layers {
            for case .layer(let j) in layer.inputs { readers[j] += 1 }
        }
        for k in steps.indices.dropLast() {
            let (i, next) = (stepLayers[k], stepLayers[k + 1])
            guard case .convolution = steps[k].kernel, case .maxPool(let pool) = steps[k + 1].kernel,
                  case .maxPool(let attributes) = model.layers[next].op, model.layers[next].inputs == [.layer(i)],
                  readers[i] == 1, i != model.layers.count - 1,
                  attributes.size == Size2(2, 2), attributes.stride == Size2(2, 2), attributes.padding == .valid,
                  disjoint(layout.region(.layer(next)), layout.region(model.layers[i].inputs[0]))
            else { continue }
            steps[k].pooledBy = pool
            steps[k + 1].runsWithPrevious = true
        }
    }

    /// The fused call writes the pool's output while the convolution still reads its input: they must not share
    /// bytes (every tensor has its own region today; this keeps it true if the layout starts reusing memory).
    static func disjoint(_ a: (start: Int, bytes: Int), _ b: (start: Int, bytes: Int)) -> Bool {
        a.start + a.bytes <= b.start || b.start + b.bytes <= a.start
    }

    static func requantization(_ m: FixedPointMultiplier, zero: Int32, qmin: Int32, qmax: Int32) -> Requantization {
        Requantization(multiplier: Int64(m.multiplier), shift: Int64(m.shift), zero: zero, min: qmin, max: qmax)
    }

    static func convolution(_ conv: Int8Convolution, _ layer: Int8Layer, input: TensorPlacement, output: TensorPlacement,
                            qmin: Int32, qmax: Int32, blob: inout WeightBlobBuilder) -> ConvolutionLayer {
        let shape = layer.inputShapes[0]
        let (cin, kh, kw) = (shape.channels, conv.kernel.height, conv.kernel.width)
        let rows = conv.padding.amounts(input: shape.height, kernel: kh, stride: conv.stride.height)
        let cols = conv.padding.amounts(input: shape.width, kernel: kw, stride: conv.stride.width)
        let rowBytes = kw * cin
        // Narrow layers compute two pixels per register on the VNNI path (see digits_conv_pairs_vnni).
        let paired = conv.outputChannels <= 8
        let packed = WeightPacking.pack(outChannels: conv.outputChannels, kernelH: kh, rowBytes: rowBytes, paired: paired) { oc, ky, position in
            let (kx, ic) = (position / cin, position % cin)
            return conv.weights[((oc * cin + ic) * kh + ky) * kw + kx]
        }
        let weights = blob.append(int8: packed)
        let channels = blob.appendChannels(bias: conv.bias, weightSums: sums(conv.weights, conv.outputChannels),
                                           requantization: conv.requantization,
                                           paddedCount: (conv.outputChannels + 15) / 16 * 16, laneOrder: true, paired: paired)
        return ConvolutionLayer(
            input: input.offset - rows.before * input.rowStride - cols.before * input.channels,
            inRowStride: input.rowStride, inPixelStride: input.channels, strideY: conv.stride.height,
            strideX: conv.stride.width, kernelH: kh, kernelRowBytes: rowBytes, output: output.offset,
            outRowStride: output.rowStride, outPixelStride: output.channels, outH: output.height, outW: output.width,
            outChannels: conv.outputChannels, weights: weights, bias: channels.bias, multiplier: channels.multiplier,
            rounding: channels.rounding, shift: channels.shift, outZero: output.zero, outMin: qmin, outMax: qmax,
            pairedPixels: paired)
    }

    static func depthwise(_ conv: Int8Convolution, _ layer: Int8Layer, input: TensorPlacement, output: TensorPlacement,
                          qmin: Int32, qmax: Int32, blob: inout WeightBlobBuilder) -> DepthwiseLayer {
        let shape = layer.inputShapes[0]
        let (kh, kw) = (conv.kernel.height, conv.kernel.width)
        let rows = conv.padding.amounts(input: shape.height, kernel: kh, stride: conv.stride.height)
        let cols = conv.padding.amounts(input: shape.width, kernel: kw, stride: conv.stride.width)
        let weights = blob.append(int8: conv.weights)
        let channels = blob.appendChannels(bias: conv.bias, weightSums: sums(conv.weights, conv.outputChannels),
                                           requantization: conv.requantization, paddedCount: conv.outputChannels, laneOrder: false)
        return DepthwiseLayer(
            input: input.offset - rows.before * input.rowStride - cols.before * input.channels,
            inRowStride: input.rowStride, inPixelStride: input.channels, strideY: conv.stride.height,
            strideX: conv.stride.width, kernelH: kh, kernelW: kw, multiplier: conv.outputChannels / shape.channels,
            output: output.offset, outRowStride: output.rowStride, outH: output.height, outW: output.width,
            outChannels: conv.outputChannels, weights: weights, bias: channels.bias,
            requantMultiplier: channels.multiplier, rounding: channels.rounding, shift: channels.shift,
            outZero: output.zero, outMin: qmin, outMax: qmax)
    }

    /// The input row is the input tensor's whole region (borders included, with zero weights), so a flatten
    /// of an HWC tensor needs no copy: weights are permuted from CHW feature order to byte order instead.
    static func dense(_ dense: Int8Dense, input: TensorPlacement, region: (start: Int, bytes: Int),
                      output: TensorPlacement, qmin: Int32, qmax: Int32, blob: inout WeightBlobBuilder) -> ConvolutionLayer {
        var feature = [Int](repeating: -1, count: region.bytes)
        for f in 0..<dense.inputFeatures { feature[input.byteOffset(chw: f) - region.start] = f }
        let packed = WeightPacking.pack(outChannels: dense.units, kernelH: 1, rowBytes: region.bytes) { unit, _, position in
            let f = feature[position]
            return f < 0 ? 0 : dense.weights[unit * dense.inputFeatures + f]
        }
        let weights = blob.append(int8: packed)
        let channels = blob.appendChannels(bias: dense.bias, weightSums: sums(dense.weights, dense.units),
                                           requantization: dense.requantization, paddedCount: (dense.units + 15) / 16 * 16, laneOrder: true)
        return ConvolutionLayer(
            input: region.start, inRowStride: 0, inPixelStride: 0, strideY: 1, strideX: 1, kernelH: 1,
            kernelRowBytes: region.bytes, output: output.offset, outRowStride: 0, outPixelStride: 0, outH: 1, outW: 1,
            outChannels: dense.units, weights: weights, bias: channels.bias, multiplier: channels.multiplier,
            rounding: channels.rounding, shift: channels.shift, outZero: output.zero, outMin: qmin, outMax: qmax)
    }

    static func pool(_ pool: PoolAttributes, _ layer: Int8Layer, input: TensorPlacement, output: TensorPlacement,
                     requantization: [Requantization]) -> PoolLayer {
        let shape = layer.inputShapes[0]
        let rows = pool.padding.amounts(input: shape.height, kernel: pool.size.height, stride: pool.stride.height)
        let cols = pool.padding.amounts(input: shape.width, kernel: pool.size.width, stride: pool.stride.width)
        return PoolLayer(input: input, output: output, kernelH: pool.size.height, kernelW: pool.size.width,
                         strideY: pool.stride.height, strideX: pool.stride.width, padTop: rows.before,
                         padLeft: cols.before, requantization: requantization)
    }

    static func sums(_ weights: [Int8], _ channels: Int) -> [Int64] {
        let per = channels == 0 ? 0 : weights.count / channels
        return (0..<channels).map { c in weights[(c * per)..<((c + 1) * per)].reduce(Int64(0)) { $0 + Int64($1) } }
    }

    static func macs(_ layer: Int8Layer) -> Int {
        switch layer.op {
        case .convolution(let c):
            layer.outputShape.elementCount * (layer.inputShapes[0].channels / c.groups) * c.kernel.height * c.kernel.width
        case .dense(let d): d.inputFeatures * d.units
        default: 0
        }
    }

    static func summary(_ layer: Int8Layer) -> String {
        let shapes = "\(layer.inputShapes.map(\.description).joined(separator: " + ")) → \(layer.outputShape)"
        let relu = layer.qmin > Int8.min ? ", relu" : ""
        switch layer.op {
        case .convolution(let c):
            return "\(layer.op.kindName) \(shapes), kernel \(c.kernel), stride \(c.stride), \(c.padding.rawValue)\(relu); \(macs(layer)) MACs"
        case .dense:
            return "dense \(shapes)\(relu); \(macs(layer)) MACs"
        case .maxPool(let p), .avgPool(let p, _):
            return "\(layer.op.kindName) \(shapes), size \(p.size), stride \(p.stride), \(p.padding.rawValue)"
        default:
            return "\(layer.op.kindName) \(shapes)\(relu)"
        }
    }
}
