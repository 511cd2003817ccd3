import NetSpec

extension TrainingGraph {
    /// `Y[n, U] = X[n, In] · Wᵀ + b` for the worker's rows.
    func denseForward(_ node: GraphNode, _ w: Int) {
        guard let weight = node.weight else { return }
        let range = slice(w)
        guard !range.isEmpty else { return }
        let inputs = node.inputSizes[0], units = node.outputSize
        let x = inputValues(node, 0) + range.lowerBound * inputs
        let y = node.output.pointer + range.lowerBound * units
        contexts[w].workspace.multiply(m: range.count, n: units, k: inputs,
                                       MatrixOperand(UnsafePointer(x), rowStride: inputs),
                                       MatrixOperand(UnsafePointer(store.values[weight].pointer), rowStride: 1, columnStride: inputs),
                                       into: y, ldc: units, accumulate: false)
        if let bias = node.bias {
            let b = store.values[bias].pointer
            for row in 0..<range.count {
                for u in 0..<units { y[row * units + u] += b[u] }
            }
        }
        applyFusedActivation(node, range)
    }

    /// dW += dYᵀ·X, db += Σ dY, dX += dY·W.
    func denseBackward(_ node: GraphNode, _ w: Int) {
        guard let weight = node.weight else { return }
        let range = slice(w)
        guard !range.isEmpty else { return }
        maskFusedActivation(node, range)
        let inputs = node.inputSizes[0], units = node.outputSize
        let x = inputValues(node, 0) + range.lowerBound * inputs
        let dy = UnsafePointer(node.gradient.pointer + range.lowerBound * units)
        let workspace = contexts[w].workspace
        workspace.multiply(m: units, n: inputs, k: range.count,
                           MatrixOperand(dy, rowStride: 1, columnStride: units),
                           MatrixOperand(UnsafePointer(x), rowStride: inputs),
                           into: store.workerGradients[w][weight].pointer, ldc: inputs, accumulate: true)
        if let bias = node.bias {
            let gb = store.workerGradients[w][bias].pointer
            for row in 0..<range.count {
                for u in 0..<units { gb[u] += dy[row * units + u] }
            }
        }
        if node.needsInputGradient, let dx = inputGradient(node, 0) {
            workspace.multiply(m: range.count, n: inputs, k: units,
                               MatrixOperand(dy, rowStride: units),
                               MatrixOperand(UnsafePointer(store.values[weight].pointer), rowStride: inputs),
                               into: dx + range.lowerBound * inputs, ldc: inputs, accumulate: true)
        }
    }
}
