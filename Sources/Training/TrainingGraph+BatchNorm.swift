import NetSpec

extension TrainingGraph {
    private func batchNormLayout(_ node: GraphNode) -> (channels: Int, pixels: Int) {
        let channels = node.layer.inputShapes[0].channels
        return (channels, node.inputSizes[0] / channels)
    }

    /// Training mode normalizes with the statistics of the whole batch (all workers' slices combined, in worker
    /// order) and folds them into the running estimates like PyTorch (unbiased variance, `momentum` weight on
    /// the new batch). Evaluation mode uses the running estimates.
    func batchNormForward(_ node: GraphNode, training: Bool) {
        guard case .batchNorm(let a) = node.layer.op, let gammaIndex = node.weight, let betaIndex = node.bias,
              let meanIndex = node.runningMean, let varianceIndex = node.runningVariance,
              let batchMean = node.batchMean, let batchInverseStd = node.batchInverseStd else { return }
        let (channels, pixels) = batchNormLayout(node)
        let input = inputValues(node, 0)
        let mean = batchMean.pointer, inverseStd = batchInverseStd.pointer
        if training {
            var partial = [Double](repeating: 0, count: workers * channels * 2)
            partial.withUnsafeMutableBufferPointer { sums in
                parallel { w in
                    let base = w * channels * 2
                    for image in slice(w) {
                        let x = input + image * node.inputSizes[0]
                        for c in 0..<channels {
                            var s: Float = 0, q: Float = 0
                            for i in 0..<pixels {
                                let v = x[c * pixels + i]
                                s += v
                                q += v * v
                            }
                            sums[base + 2 * c] += Double(s)
                            sums[base + 2 * c + 1] += Double(q)
                        }
                    }
                }
            }
            let count = Double(batch * pixels)
            let runningMean = store.values[meanIndex].pointer, runningVariance = store.values[varianceIndex].pointer
            let momentum = a.momentum
            for c in 0..<channels {
                var s = 0.0, q = 0.0
                for w in 0..<workers {
                    s += partial[w * channels * 2 + 2 * c]
                    q += partial[w * channels * 2 + 2 * c + 1]
                }
                let m = s / count
                let variance = max(q / count - m * m, 0)
                mean[c] = Float(m)
                inverseStd[c] = Float(1 / (variance + Double(a.epsilon)).squareRoot())
                let unbiased = count > 1 ? variance * count / (count - 1) : variance
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * Float(m)
                runningVariance[c] = (1 - momentum) * runningVariance[c] + momentum * Float(unbiased)
            }
        } else {
            let runningMean = store.values[meanIndex].pointer, runningVariance = store.values[varianceIndex].pointer
            for c in 0..<channels {
                mean[c] = runningMean[c]
                inverseStd[c] = 1 / (runningVariance[c] + a.epsilon).squareRoot()
            }
        }
        let gamma = store.values[gammaIndex].pointer, beta = store.values[betaIndex].pointer
        parallel { w in
            for image in slice(w) {
                let x = input + image * node.inputSizes[0]
                let y = node.output.pointer + image * node.outputSize
                for c in 0..<channels {
                    let scale = gamma[c] * inverseStd[c]
                    let shift = beta[c] - mean[c] * scale
                    for i in 0..<pixels { y[c * pixels + i] = x[c * pixels + i] * scale + shift }
                }
            }
        }
    }

    /// Training-mode gradient: dx = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂)), the means over the whole batch.
    func batchNormBackward(_ node: GraphNode) {
        guard let gammaIndex = node.weight, let betaIndex = node.bias,
              let batchMean = node.batchMean, let batchInverseStd = node.batchInverseStd else { return }
        let (channels, pixels) = batchNormLayout(node)
        let input = inputValues(node, 0)
        let mean = batchMean.pointer, inverseStd = batchInverseStd.pointer
        parallel { w in
            let dGamma = store.workerGradients[w][gammaIndex].pointer
            let dBeta = store.workerGradients[w][betaIndex].pointer
            for image in slice(w) {
                let x = input + image * node.inputSizes[0]
                let dy = node.gradient.pointer + image * node.outputSize
                for c in 0..<channels {
                    var s: Float = 0, sx: Float = 0
                    let m = mean[c], r = inverseStd[c]
                    for i in 0..<pixels {
                        let d = dy[c * pixels + i]
                        s += d
                        sx += d * (x[c * pixels + i] - m) * r
                    }
                    dBeta[c] += s
                    dGamma[c] += sx
                }
            }
        }
        guard node.needsInputGradient, let dxBase = inputGradient(node, 0) else { return }
        var totals = [Float](repeating: 0, count: channels * 2)
        for c in 0..<channels {
            var s: Float = 0, sx: Float = 0
            for w in 0..<workers {
                s += store.workerGradients[w][betaIndex].pointer[c]
                sx += store.workerGradients[w][gammaIndex].pointer[c]
            }
            totals[2 * c] = s
            totals[2 * c + 1] = sx
        }
        let gamma = store.values[gammaIndex].pointer
        let count = Float(batch * pixels)
        totals.withUnsafeBufferPointer { totals in
            parallel { w in
                for image in slice(w) {
                    let x = input + image * node.inputSizes[0]
                    let dy = node.gradient.pointer + image * node.outputSize
                    let dx = dxBase + image * node.inputSizes[0]
                    for c in 0..<channels {
                        let m = mean[c], r = inverseStd[c]
                        let meanDy = totals[2 * c] / count, meanDyXhat = totals[2 * c + 1] / count
                        let scale = gamma[c] * r
                        for i in 0..<pixels {
                            let xhat = (x[c * pixels + i] - m) * r
                            dx[c * pixels + i] += scale * (dy[c * pixels + i] - meanDy - xhat * meanDyXhat)
                        }
                    }
                }
            }
        }
    }
}
