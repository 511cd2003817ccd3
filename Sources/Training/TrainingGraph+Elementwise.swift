import Foundation
import NetSpec

extension TrainingGraph {
    /// Flatten, and dropout at evaluation: the CHW bytes already are the flat vector.
    func copyForward(_ node: GraphNode, _ w: Int) {
        let range = slice(w)
        let size = node.outputSize
        (node.output.pointer + range.lowerBound * size)
            .update(from: inputValues(node, 0) + range.lowerBound * size, count: range.count * size)
    }

    func copyBackward(_ node: GraphNode, _ w: Int) {
        guard node.needsInputGradient, let dx = inputGradient(node, 0) else { return }
        let range = slice(w)
        let size = node.outputSize
        let dy = node.gradient.pointer
        for i in (range.lowerBound * size)..<(range.upperBound * size) { dx[i] += dy[i] }
    }

    func reluForward(_ node: GraphNode, _ w: Int) {
        let range = slice(w)
        let x = inputValues(node, 0), y = node.output.pointer
        for i in (range.lowerBound * node.outputSize)..<(range.upperBound * node.outputSize) { y[i] = max(x[i], 0) }
    }

    func reluBackward(_ node: GraphNode, _ w: Int) {
        guard node.needsInputGradient, let dx = inputGradient(node, 0) else { return }
        let range = slice(w)
        let y = node.output.pointer, dy = node.gradient.pointer
        for i in (range.lowerBound * node.outputSize)..<(range.upperBound * node.outputSize) where y[i] > 0 {
            dx[i] += dy[i]
        }
    }

    /// Inverted dropout: kept elements are scaled by 1/(1−rate) so evaluation needs no rescaling. Each image's
    /// mask comes from its own stream `(seed, step, layer, image)`, independent of how the batch is split.
    func dropoutForward(_ node: GraphNode, _ w: Int, seed: UInt64, step: UInt64) {
        guard case .dropout(let a) = node.layer.op, let mask = node.mask else { return }
        let keep = 1 / (1 - a.rate)
        let x = inputValues(node, 0)
        for image in slice(w) {
            var random = RandomGenerator(seed: seed, stream: [3, step, UInt64(node.index), UInt64(image)])
            let start = image * node.outputSize
            for i in start..<(start + node.outputSize) {
                let m: Float = random.nextFloat() < a.rate ? 0 : keep
                mask.pointer[i] = m
                node.output.pointer[i] = x[i] * m
            }
        }
    }

    func dropoutBackward(_ node: GraphNode, _ w: Int) {
        guard node.needsInputGradient, let dx = inputGradient(node, 0), let mask = node.mask else { return }
        let range = slice(w)
        let dy = node.gradient.pointer
        for i in (range.lowerBound * node.outputSize)..<(range.upperBound * node.outputSize) {
            dx[i] += dy[i] * mask.pointer[i]
        }
    }

    func addForward(_ node: GraphNode, _ w: Int) {
        let range = slice(w)
        let start = range.lowerBound * node.outputSize, end = range.upperBound * node.outputSize
        let y = node.output.pointer
        let first = inputValues(node, 0)
        for i in start..<end { y[i] = first[i] }
        for k in 1..<node.inputs.count {
            let x = inputValues(node, k)
            for i in start..<end { y[i] += x[i] }
        }
        applyFusedActivation(node, range)
    }

    func addBackward(_ node: GraphNode, _ w: Int) {
        let range = slice(w)
        maskFusedActivation(node, range)
        let start = range.lowerBound * node.outputSize, end = range.upperBound * node.outputSize
        let dy = node.gradient.pointer
        for k in node.inputs.indices {
            guard let dx = inputGradient(node, k) else { continue }
            for i in start..<end { dx[i] += dy[i] }
        }
    }

    /// Channel (or feature) concatenation: in CHW each input is one contiguous block of the output image.
    func concatForward(_ node: GraphNode, _ w: Int) {
        for image in slice(w) {
            var offset = image * node.outputSize
            for k in node.inputs.indices {
                let size = node.inputSizes[k]
                (node.output.pointer + offset).update(from: inputValues(node, k) + image * size, count: size)
                offset += size
            }
        }
        applyFusedActivation(node, slice(w))
    }

    func concatBackward(_ node: GraphNode, _ w: Int) {
        let range = slice(w)
        maskFusedActivation(node, range)
        for image in range {
            var offset = image * node.outputSize
            for k in node.inputs.indices {
                let size = node.inputSizes[k]
                if let dx = inputGradient(node, k) {
                    let source = node.gradient.pointer + offset, destination = dx + image * size
                    for i in 0..<size { destination[i] += source[i] }
                }
                offset += size
            }
        }
    }

    /// Softmax inside a network (a final softmax is folded into the loss instead).
    func softmaxForward(_ node: GraphNode, _ w: Int) {
        let size = node.outputSize
        for image in slice(w) {
            let x = inputValues(node, 0) + image * size, y = node.output.pointer + image * size
            var top = x[0]
            for i in 1..<size { top = max(top, x[i]) }
            var sum: Float = 0
            for i in 0..<size {
                y[i] = exp(x[i] - top)
                sum += y[i]
            }
            for i in 0..<size { y[i] /= sum }
        }
    }

    func softmaxBackward(_ node: GraphNode, _ w: Int) {
        guard let dxBase = inputGradient(node, 0) else { return }
        let size = node.outputSize
        for image in slice(w) {
            let y = node.output.pointer + image * size, dy = node.gradient.pointer + image * size
            let dx = dxBase + image * size
            var dot: Float = 0
            for i in 0..<size { dot += dy[i] * y[i] }
            for i in 0..<size { dx[i] += y[i] * (dy[i] - dot) }
        }
    }
}
