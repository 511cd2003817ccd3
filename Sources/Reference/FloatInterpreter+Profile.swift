import Dispatch
import ModelIO

extension FloatInterpreter {
    /// Seconds per layer on `batch` (median of repeated runs of that layer alone, on its real inputs, for about
    /// `secondsPerLayer` each): the float side of `digits profile`'s int8-vs-float comparison.
    public func layerTimes(_ batch: Tensor, secondsPerLayer: Double) throws(InterpreterError) -> [Double] {
        let outputs = try runAll(batch)
        let n = batch.shape.first ?? 1
        return network.layers.indices.map { index in
            let layer = network.layers[index]
            let inputs = layer.inputs.map { source -> [Float] in
                switch source {
                case .networkInput: batch.scalars
                case .layer(let producer): outputs[producer].scalars
                }
            }
            var samples: [Double] = []
            var sink = 0
            let start = DispatchTime.now().uptimeNanoseconds
            repeat {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let output = evaluate(layer, weights: weights[index], inputs: inputs, n: n)
                let t1 = DispatchTime.now().uptimeNanoseconds
                sink &+= output.count
                samples.append(Double(t1 - t0) / 1e9)
            } while (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < secondsPerLayer || samples.count < 3)
                && samples.count < 100_000
            samples.sort()
            // Keeps the evaluations observable to the optimizer.
            return sink < 0 ? 0 : samples[samples.count / 2]
        }
    }
}
