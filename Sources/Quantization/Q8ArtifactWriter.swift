import Foundation
import ModelIO
import Reference

extension Q8Artifact {
    /// The safetensors form: int8/int32 tensors per layer, per-tensor numbers and provenance in the metadata.
    public func safeTensorsFile() -> SafeTensorsFile {
        var tensors: [(name: String, tensor: RawTensor)] = []
        var infos: [String: TensorInfo] = [:]
        for layer in model.layers {
            let choice = choices[layer.name]
            infos[layer.name] = TensorInfo(scale: layer.output.scale, zero_point: layer.output.zeroPoint,
                                           qmin: layer.qmin, qmax: layer.qmax, method: choice?.method, sqnr: choice?.sqnr)
            for (suffix, tensor) in Self.tensors(of: layer) { tensors.append((name: "\(layer.name).\(suffix)", tensor: tensor)) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) -> String {
            (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        }
        let metadata: [String: String] = [
            "format": Self.format,
            "version": Self.version,
            "spec": specSource,
            "spec_sha256": specSHA256,
            "weights_sha256": weightsSHA256,
            "calibration": json(calibration),
            "input": json(InputInfo(scale: model.input.scale, zero_point: model.input.zeroPoint)),
            "tensors": json(infos),
        ]
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }

    public func write(to path: String) throws(SafeTensorsError) {
        try safeTensorsFile().write(to: path)
    }

    /// The tensors one layer stores, by name suffix; `Q8ArtifactReader` expects exactly these.
    static func tensors(of layer: Int8Layer) -> [(String, RawTensor)] {
        switch layer.op {
        case .convolution(let c):
            let inPerGroup = layer.inputShapes[0].channels / c.groups
            return weighted(c.weights, shape: [c.outputChannels, inPerGroup, c.kernel.height, c.kernel.width],
                            bias: c.bias, requantization: c.requantization, scales: c.weightScales)
        case .dense(let d):
            return weighted(d.weights, shape: [d.units, d.inputFeatures], bias: d.bias,
                            requantization: d.requantization, scales: d.weightScales)
        case .avgPool(_, let multipliers), .concat(let multipliers):
            return requantization(multipliers)
        case .globalAvgPool(let m):
            return requantization([m])
        case .add(let multipliers, let shift):
            return [("multiplier", int32(multipliers)), ("shift", int32([shift]))]
        case .maxPool, .relu, .flatten:
            return []
        }
    }

    static func weighted(_ weights: [Int8], shape: [Int], bias: [Int32], requantization m: [FixedPointMultiplier],
                         scales: [Double]) -> [(String, RawTensor)] {
        [("weight", RawTensor(dtype: .i8, shape: shape, bytes: weights.map { UInt8(bitPattern: $0) })),
         ("bias", int32(bias))] + requantization(m)
            + [("weight_scale", RawTensor(dtype: .f64, shape: [scales.count], bytes: scales.flatMap { littleEndianBytes($0.bitPattern) }))]
    }

    static func requantization(_ m: [FixedPointMultiplier]) -> [(String, RawTensor)] {
        [("multiplier", int32(m.map(\.multiplier))), ("shift", int32(m.map(\.shift)))]
    }

    static func int32(_ values: [Int32]) -> RawTensor {
        RawTensor(dtype: .i32, shape: [values.count], bytes: values.flatMap { littleEndianBytes(UInt32(bitPattern: $0)) })
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
