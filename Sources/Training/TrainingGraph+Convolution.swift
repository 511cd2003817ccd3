import NetSpec

extension TrainingGraph {
    /// im2col over runs of images, one GEMM per run: `out[O, run·HW] = W[O, CKK] · columns[CKK, run·HW]`.
    func convolutionForward(_ node: GraphNode, _ w: Int) {
        guard case .conv2d(let a) = node.layer.op, let g = node.window, let weight = node.weight else { return }
        let range = slice(w)
        let context = contexts[w]
        let input = inputValues(node, 0)
        let filters = a.filters, pixels = g.outputPixels, patch = g.patchSize
        let chunk = Self.chunkImages(perImage: patch * pixels, limit: range.count)
        let weights = UnsafePointer(store.values[weight].pointer)
        var image = range.lowerBound
        while image < range.upperBound {
            let count = min(chunk, range.upperBound - image)
            let columns = context.columns.pointer
            Im2Col.expand(g, input: input + image * g.channels * g.inputPixels, images: count, columns: columns)
            let length = count * pixels
            let output = node.output.pointer + image * node.outputSize
            let target = count == 1 ? output : context.scratch.pointer
            context.workspace.multiply(m: filters, n: length, k: patch,
                                       MatrixOperand(weights, rowStride: patch),
                                       MatrixOperand(UnsafePointer(columns), rowStride: length),
                                       into: target, ldc: length, accumulate: false)
            if count > 1 {
                for i in 0..<count {
                    for o in 0..<filters {
                        (output + (i * filters + o) * pixels).update(from: target + o * length + i * pixels, count: pixels)
                    }
                }
            }
            image += count
        }
        if let bias = node.bias {
            let b = store.values[bias].pointer
            for image in range {
                for o in 0..<filters {
                    let plane = node.output.pointer + image * node.outputSize + o * pixels
                    let value = b[o]
                    for i in 0..<pixels { plane[i] += value }
                }
            }
        }
        applyFusedActivation(node, range)
    }

    /// dW += dOut·columnsᵀ, dColumns = Wᵀ·dOut then col2im into the input gradient.
    func convolutionBackward(_ node: GraphNode, _ w: Int) {
        guard case .conv2d(let a) = node.layer.op, let g = node.window, let weight = node.weight else { return }
        let range = slice(w)
        maskFusedActivation(node, range)
        let context = contexts[w]
        let filters = a.filters, pixels = g.outputPixels, patch = g.patchSize
        if let bias = node.bias {
            let gb = store.workerGradients[w][bias].pointer
            for image in range {
                for o in 0..<filters {
                    let plane = node.gradient.pointer + image * node.outputSize + o * pixels
                    var sum: Float = 0
                    for i in 0..<pixels { sum += plane[i] }
                    gb[o] += sum
                }
            }
        }
        let input = inputValues(node, 0)
        let inputGradient = node.needsInputGradient ? inputGradient(node, 0) : nil
        let weights = UnsafePointer(store.values[weight].pointer)
        let weightGradient = store.workerGradients[w][weight].pointer
        let chunk = Self.chunkImages(perImage: patch * pixels, limit: range.count)
        var image = range.lowerBound
        while image < range.upperBound {
            let count = min(chunk, range.upperBound - image)
            let length = count * pixels
            let columns = context.columns.pointer
            let outputGradient = node.gradient.pointer + image * node.outputSize
            let gathered = count == 1 ? outputGradient : context.scratch.pointer
            if count > 1 {
                for i in 0..<count {
                    for o in 0..<filters {
                        (gathered + o * length + i * pixels).update(from: outputGradient + (i * filters + o) * pixels, count: pixels)
                    }
                }
            }
            let imageOffset = image * g.channels * g.inputPixels
            Im2Col.expandPacked(g, input: input + imageOffset, images: count, into: columns, transposed: true)
            context.workspace.multiply(m: filters, n: patch, k: length,
                                       MatrixOperand(UnsafePointer(gathered), rowStride: length),
                                       prepackedB: UnsafePointer(columns), into: weightGradient, ldc: patch, accumulate: true)
            if let inputGradient {
                context.workspace.multiply(m: patch, n: length, k: filters,
                                           MatrixOperand(weights, rowStride: 1, columnStride: patch),
                                           MatrixOperand(UnsafePointer(gathered), rowStride: length),
                                           into: columns, ldc: length, accumulate: false)
                Im2Col.accumulate(g, columns: columns, images: count, into: inputGradient + imageOffset)
            }
            image += count
        }
    }

    /// Depthwise convolution: output channel `c·multiplier + m` filters input channel `c` only. Direct loops:
    /// the work is small next to the convolutions that surround it.
    func depthwiseForward(_ node: GraphNode, _ w: Int) {
        guard case .depthwiseConv2d(let a) = node.layer.op, let g = node.window, let weight = node.weight else { return }
        let range = slice(w)
        let input = inputValues(node, 0)
        let weights = store.values[weight].pointer
        let bias = node.bias.map { store.values[$0].pointer }
        let pixels = g.outputPixels
        for image in range {
            let x = input + image * g.channels * g.inputPixels
            let y = node.output.pointer + image * node.outputSize
            for c in 0..<g.channels {
                let plane = x + c * g.inputPixels
                for m in 0..<a.multiplier {
                    let o = c * a.multiplier + m
                    let kernel = weights + o * g.kernelArea
                    let out = y + o * pixels
                    let b = bias?[o] ?? 0
                    for oy in 0..<g.outHeight {
                        for ox in 0..<g.outWidth {
                            var sum = b
                            for ky in 0..<g.kernelHeight {
                                let iy = oy * g.strideY - g.padTop + ky
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.kernelWidth {
                                    let ix = ox * g.strideX - g.padLeft + kx
                                    guard ix >= 0 && ix < g.width else { continue }
                                    sum += kernel[ky * g.kernelWidth + kx] * plane[iy * g.width + ix]
                                }
                            }
                            out[oy * g.outWidth + ox] = sum
                        }
                    }
                }
            }
        }
        applyFusedActivation(node, range)
    }

    func depthwiseBackward(_ node: GraphNode, _ w: Int) {
        guard case .depthwiseConv2d(let a) = node.layer.op, let g = node.window, let weight = node.weight else { return }
        let range = slice(w)
        maskFusedActivation(node, range)
        let input = inputValues(node, 0)
        let inputGradient = node.needsInputGradient ? inputGradient(node, 0) : nil
        let weights = store.values[weight].pointer
        let weightGradient = store.workerGradients[w][weight].pointer
        let biasGradient = node.bias.map { store.workerGradients[w][$0].pointer }
        let pixels = g.outputPixels
        for image in range {
            let x = input + image * g.channels * g.inputPixels
            let dx = inputGradient.map { $0 + image * g.channels * g.inputPixels }
            let dy = node.gradient.pointer + image * node.outputSize
            for c in 0..<g.channels {
                for m in 0..<a.multiplier {
                    let o = c * a.multiplier + m
                    let kernel = weights + o * g.kernelArea
                    let dKernel = weightGradient + o * g.kernelArea
                    let dOut = dy + o * pixels
                    for oy in 0..<g.outHeight {
                        for ox in 0..<g.outWidth {
                            let d = dOut[oy * g.outWidth + ox]
                            biasGradient?[o] += d
                            for ky in 0..<g.kernelHeight {
                                let iy = oy * g.strideY - g.padTop + ky
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.kernelWidth {
                                    let ix = ox * g.strideX - g.padLeft + kx
                                    guard ix >= 0 && ix < g.width else { continue }
                                    let at = c * g.inputPixels + iy * g.width + ix
                                    dKernel[ky * g.kernelWidth + kx] += d * x[at]
                                    dx?[at] += d * kernel[ky * g.kernelWidth + kx]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
