import Runtime

/// `predictBatch` for networks with a large dense layer (seed's 18432 → 10: 295 KB of packed weights, convpool's
/// 3136 → 128: 401 KB, streamed from L2 for every image): the layers before it run for 4 images into 4 scratches, the dense layer runs once for
/// the 4 (`Kernels.denseGroup`: one weight load feeds 4 images), the rest per image. Same results as `predict`.
enum BatchTemplate {
    static let lanes = 4
    /// Packed weights of at least this many bytes make a dense layer worth grouping.
    static let minimumWeightBytes = 64 * 1024

    /// The index of the step to group: the last dense layer with large weights, if any.
    static func groupedDense(_ plan: PredictorPlan) -> Int? {
        plan.steps.indices.last { i in
            guard case .dense(let l) = plan.steps[i].kernel else { return false }
            return l.channelBlocks * l.kernelH * l.groups * 64 >= minimumWeightBytes
        }
    }

    static func members(_ index: Int, fills: String, names: [String], calls: [String], model: String, typeName: String,
                        inputCount: Int, outputCount: Int) -> String {
        func indented(_ lines: ArraySlice<String>) -> String {
            lines.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n") }
                .joined(separator: "\n")
        }
        return """
                private static let fills: [(offset: Int, count: Int, value: UInt8)] = \(fills)
                /// \(lanes) images' activations: a batch runs `\(names[index])` once per \(lanes) images.
                private lazy var group = ScratchGroup(first: scratch, lanes: \(lanes), fills: \(typeName).fills)

                public func predictBatch(pixels: UnsafeBufferPointer<UInt8>, count: Int,
                                         logits: UnsafeMutableBufferPointer<Int8>) throws(PredictionError) {
                    guard count >= 0, pixels.count == count * \(inputCount), logits.count == count * \(outputCount) else {
                        throw PredictionError("\(model): batch of \\(count) needs \\(count * \(inputCount)) pixels and \\(count * \(outputCount)) logits, got \\(pixels.count) and \\(logits.count)")
                    }
                    guard let pixelBase = pixels.baseAddress, let logitBase = logits.baseAddress else { return }
                    let (group, w) = (self.group, weights)
                    var start = 0
                    while start < count {
                        let n = min(group.lanes, count - start)
                        for k in 0..<n {
                            let s = group.bases[k]
                            PortableKernels.loadInput(pixelBase + (start + k) * \(inputCount), into: Layout.input, scratch: s)
            \(indented(calls[..<index]))
                        }
                        Kernels.denseGroup(Layout.\(names[index]), group: group, count: n, weights: w, path: path)
                        for k in 0..<n {
                            let s = group.bases[k]\(index + 1 < calls.count ? "\n" + indented(calls[(index + 1)...]) : "")
                            PortableKernels.storeOutput(Layout.logits, scratch: s, to: logitBase + (start + k) * \(outputCount))
                        }
                        start += n
                    }
                }
            """
    }
}
