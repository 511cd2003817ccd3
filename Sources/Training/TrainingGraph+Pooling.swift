import NetSpec

extension TrainingGraph {
    /// Max over each window (padding never wins); remembers the winning input offset for the backward pass.
    func maxPoolForward(_ node: GraphNode, _ w: Int) {
        guard let g = node.window, let winners = node.winners else { return }
        let input = inputValues(node, 0)
        for image in slice(w) {
            let x = input + image * node.inputSizes[0]
            let y = node.output.pointer + image * node.outputSize
            let won = winners.pointer + image * node.outputSize
            for c in 0..<g.channels {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var best = -Float.infinity
                        var bestAt = -1
                        for ky in 0..<g.kernelHeight {
                            let iy = oy * g.strideY - g.padTop + ky
                            guard iy >= 0 && iy < g.height else { continue }
                            for kx in 0..<g.kernelWidth {
                                let ix = ox * g.strideX - g.padLeft + kx
                                guard ix >= 0 && ix < g.width else { continue }
                                let at = c * g.inputPixels + iy * g.width + ix
                                if bestAt < 0 || x[at] > best {
                                    best = x[at]
                                    bestAt = at
                                }
                            }
                        }
                        let o = (c * g.outHeight + oy) * g.outWidth + ox
                        y[o] = bestAt < 0 ? 0 : best
                        won[o] = Int32(bestAt)
                    }
                }
            }
        }
    }

    func maxPoolBackward(_ node: GraphNode, _ w: Int) {
        guard let winners = node.winners, node.needsInputGradient, let dxBase = inputGradient(node, 0) else { return }
        for image in slice(w) {
            let dx = dxBase + image * node.inputSizes[0]
            let dy = node.gradient.pointer + image * node.outputSize
            let won = winners.pointer + image * node.outputSize
            for o in 0..<node.outputSize where won[o] >= 0 { dx[Int(won[o])] += dy[o] }
        }
    }

    /// Average over the window positions inside the image (padding is excluded from the count, as in
    /// TensorFlow's `same` pooling).
    func avgPoolForward(_ node: GraphNode, _ w: Int) {
        guard let g = node.window else { return }
        let input = inputValues(node, 0)
        for image in slice(w) {
            let x = input + image * node.inputSizes[0]
            let y = node.output.pointer + image * node.outputSize
            for c in 0..<g.channels {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var sum: Float = 0
                        var count = 0
                        for ky in 0..<g.kernelHeight {
                            let iy = oy * g.strideY - g.padTop + ky
                            guard iy >= 0 && iy < g.height else { continue }
                            for kx in 0..<g.kernelWidth {
                                let ix = ox * g.strideX - g.padLeft + kx
                                guard ix >= 0 && ix < g.width else { continue }
                                sum += x[c * g.inputPixels + iy * g.width + ix]
                                count += 1
                            }
                        }
                        y[(c * g.outHeight + oy) * g.outWidth + ox] = count > 0 ? sum / Float(count) : 0
                    }
                }
            }
        }
    }

    func avgPoolBackward(_ node: GraphNode, _ w: Int) {
        guard let g = node.window, node.needsInputGradient, let dxBase = inputGradient(node, 0) else { return }
        for image in slice(w) {
            let dx = dxBase + image * node.inputSizes[0]
            let dy = node.gradient.pointer + image * node.outputSize
            for c in 0..<g.channels {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let y0 = oy * g.strideY - g.padTop, x0 = ox * g.strideX - g.padLeft
                        let rows = max(0, min(g.height, y0 + g.kernelHeight) - max(0, y0))
                        let cols = max(0, min(g.width, x0 + g.kernelWidth) - max(0, x0))
                        guard rows * cols > 0 else { continue }
                        let share = dy[(c * g.outHeight + oy) * g.outWidth + ox] / Float(rows * cols)
                        for iy in max(0, y0)..<min(g.height, y0 + g.kernelHeight) {
                            for ix in max(0, x0)..<min(g.width, x0 + g.kernelWidth) {
                                dx[c * g.inputPixels + iy * g.width + ix] += share
                            }
                        }
                    }
                }
            }
        }
    }

    func globalAvgPoolForward(_ node: GraphNode, _ w: Int) {
        let input = inputValues(node, 0)
        let channels = node.outputSize
        let pixels = node.inputSizes[0] / channels
        let scale = 1 / Float(pixels)
        for image in slice(w) {
            let x = input + image * node.inputSizes[0]
            let y = node.output.pointer + image * channels
            for c in 0..<channels {
                var sum: Float = 0
                for i in 0..<pixels { sum += x[c * pixels + i] }
                y[c] = sum * scale
            }
        }
    }

    func globalAvgPoolBackward(_ node: GraphNode, _ w: Int) {
        guard node.needsInputGradient, let dxBase = inputGradient(node, 0) else { return }
        let channels = node.outputSize
        let pixels = node.inputSizes[0] / channels
        let scale = 1 / Float(pixels)
        for image in slice(w) {
            let dx = dxBase + image * node.inputSizes[0]
            let dy = node.gradient.pointer + image * channels
            for c in 0..<channels {
                let share = dy[c] * scale
                for i in 0..<pixels { dx[c * pixels + i] += share }
            }
        }
    }
}
