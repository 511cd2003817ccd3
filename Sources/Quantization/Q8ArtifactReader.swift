import Foundation
import NetSpec
import ModelIO
import Reference

/// A `.q8` file that cannot be used; one line naming the file and what was expected vs found.
public struct Q8ArtifactError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

extension Q8Artifact {
    public static func load(path: String) throws(Q8ArtifactError) -> Q8Artifact {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile.read(path: path) }
        catch { throw Q8ArtifactError(path: path, reason: error.reason) }
        var reader = Q8ArtifactReader(file: file, path: path)
        return try reader.read()
    }

    /// Validates and decodes an already-parsed safetensors file (`path` is for messages).
    public init(file: SafeTensorsFile, path: String) throws(Q8ArtifactError) {
        var reader = Q8ArtifactReader(file: file, path: path)
        self = try reader.read()
    }
}

struct Q8ArtifactReader {
    let file: SafeTensorsFile
    let path: String
    private var used = Set<String>()

    init(file: SafeTensorsFile, path: String) {
        self.file = file
        self.path = path
    }

    func fail(_ reason: String) -> Q8ArtifactError { Q8ArtifactError(path: path, reason: reason) }

    func metadata(_ key: String) throws(Q8ArtifactError) -> String {
        guard let value = file.metadata[key] else { throw fail("metadata has no '\(key)' entry; not a digits int8 model?") }
        return value
    }

    func decodeJSON<T: Decodable>(_ type: T.Type, key: String) throws(Q8ArtifactError) -> T {
        let text = try metadata(key)
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) }
        catch { throw fail("metadata '\(key)' is not the expected JSON (\(Self.describe(error)))") }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let at = context.codingPath.map(\.stringValue).joined(separator: ".")
            return at.isEmpty ? context.debugDescription : "at '\(at)': \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    mutating func read() throws(Q8ArtifactError) -> Q8Artifact {
        let format = try metadata("format")
        guard format == Q8Artifact.format else {
            throw fail("metadata 'format' is '\(format)', expected '\(Q8Artifact.format)'")
        }
        let version = try metadata("version")
        guard version == Q8Artifact.version else {
            throw fail("format version '\(version)' is not supported, expected '\(Q8Artifact.version)'")
        }
        let spec = try metadata("spec")
        let specHash = try metadata("spec_sha256")
        let actualHash = SHA256.hex(Array(spec.utf8))
        guard specHash == actualHash else {
            throw fail("metadata 'spec_sha256' is \(specHash) but the embedded spec hashes to \(actualHash)")
        }
        let weightsHash = try metadata("weights_sha256")
        guard weightsHash.count == 64, weightsHash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw fail("metadata 'weights_sha256' is '\(weightsHash)', expected 64 lowercase hex digits")
        }
        let network: Network
        do { network = try NetworkSpec.parse(spec, file: "\(path) (embedded spec)") }
        catch { throw fail("the embedded spec does not parse: \(error.diagnostics.first?.description ?? "\(error)")") }
        let folded = NetworkFolding.foldedStructure(network)

        let calibration = try decodeJSON(Q8Artifact.CalibrationInfo.self, key: "calibration")
        let inputInfo = try decodeJSON(Q8Artifact.InputInfo.self, key: "input")
        let infos = try decodeJSON([String: Q8Artifact.TensorInfo].self, key: "tensors")
        let input = Int8Quantization(scale: inputInfo.scale, zeroPoint: inputInfo.zero_point)

        var layers: [Int8Layer] = []
        var choices: [String: Q8Artifact.LayerCalibration] = [:]
        for (index, layer) in folded.layers.enumerated() {
            if case .softmax = layer.op, index == folded.layers.count - 1 { continue }
            guard let info = infos[layer.name] else { throw fail("metadata 'tensors' has no entry for layer '\(layer.name)'") }
            let output = Int8Quantization(scale: info.scale, zeroPoint: info.zero_point)
            let expectedQmin: Int8 = layer.op.fusedActivation == .relu ? Int8(clamping: info.zero_point) : .min
            guard info.qmin == expectedQmin, info.qmax == .max else {
                throw fail("layer '\(layer.name)' clamps to [\(info.qmin), \(info.qmax)], expected [\(expectedQmin), 127]")
            }
            let op = try operation(layer)
            layers.append(Int8Layer(name: layer.name, op: op, inputs: layer.inputs, inputShapes: layer.inputShapes,
                                    outputShape: layer.outputShape, output: output, qmin: info.qmin, qmax: info.qmax))
            if let method = info.method { choices[layer.name] = Q8Artifact.LayerCalibration(method: method, sqnr: info.sqnr) }
        }
        let extraInfo = Set(infos.keys).subtracting(layers.map(\.name))
        if let extra = extraInfo.sorted().first {
            throw fail("metadata 'tensors' names '\(extra)', which is not a layer of the int8 network '\(network.name)'")
        }
        if let unused = file.names.first(where: { !used.contains($0) }) {
            throw fail("tensor '\(unused)' is not used by the int8 network '\(network.name)'")
        }
        let model = Int8Model(name: network.name, labels: network.labels, inputShape: network.input.shape,
                              input: input, layers: layers)
        do { try model.validate() } catch { throw fail(error.message) }
        return Q8Artifact(model: model, specSource: spec, weightsSHA256: weightsHash, calibration: calibration, choices: choices)
    }

    mutating func take(_ name: String, _ dtype: SafeTensorsDType, _ shape: [Int]) throws(Q8ArtifactError) -> RawTensor {
        guard let tensor = file[name] else { throw fail("missing tensor '\(name)' (\(dtype.rawValue) \(shape))") }
        guard tensor.dtype == dtype else { throw fail("tensor '\(name)' has dtype \(tensor.dtype.rawValue), expected \(dtype.rawValue)") }
        guard tensor.shape == shape else { throw fail("tensor '\(name)' has shape \(tensor.shape), expected \(shape)") }
        used.insert(name)
        return tensor
    }

    mutating func int8(_ name: String, _ shape: [Int]) throws(Q8ArtifactError) -> [Int8] {
        try take(name, .i8, shape).bytes.map { Int8(bitPattern: $0) }
    }

    mutating func int32(_ name: String, _ count: Int) throws(Q8ArtifactError) -> [Int32] {
        let bytes = try take(name, .i32, [count]).bytes
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Int32(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }

    mutating func float64(_ name: String, _ count: Int) throws(Q8ArtifactError) -> [Double] {
        let bytes = try take(name, .f64, [count]).bytes
        return stride(from: 0, to: bytes.count, by: 8).map { i in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << UInt64($1 * 8) })
        }
    }

    mutating func multipliers(_ layer: String, _ count: Int) throws(Q8ArtifactError) -> [FixedPointMultiplier] {
        let m = try int32("\(layer).multiplier", count), s = try int32("\(layer).shift", count)
        return zip(m, s).map { FixedPointMultiplier(multiplier: $0, shift: $1) }
    }

    mutating func operation(_ layer: Layer) throws(Q8ArtifactError) -> Int8Operation {
        let name = layer.name
        let inputChannels = layer.inputShapes.first?.channels ?? 0
        switch layer.op {
        case .conv2d(let a):
            let o = a.filters
            return .convolution(Int8Convolution(
                kernel: a.kernel, stride: a.stride, padding: a.padding, groups: 1, outputChannels: o,
                weights: try int8("\(name).weight", [o, inputChannels, a.kernel.height, a.kernel.width]),
                bias: try int32("\(name).bias", o), requantization: try multipliers(name, o),
                weightScales: try float64("\(name).weight_scale", o)))
        case .depthwiseConv2d(let a):
            let o = layer.outputShape.channels
            return .convolution(Int8Convolution(
                kernel: a.kernel, stride: a.stride, padding: a.padding, groups: inputChannels, outputChannels: o,
                weights: try int8("\(name).weight", [o, 1, a.kernel.height, a.kernel.width]),
                bias: try int32("\(name).bias", o), requantization: try multipliers(name, o),
                weightScales: try float64("\(name).weight_scale", o)))
        case .dense(let a):
            let features = layer.inputShapes.first?.elementCount ?? 0
            return .dense(Int8Dense(
                inputFeatures: features, units: a.units, weights: try int8("\(name).weight", [a.units, features]),
                bias: try int32("\(name).bias", a.units), requantization: try multipliers(name, a.units),
                weightScales: try float64("\(name).weight_scale", a.units)))
        case .maxPool(let pool):
            return .maxPool(pool)
        case .avgPool(let pool):
            return .avgPool(pool, multipliers: try multipliers(name, pool.size.height * pool.size.width))
        case .globalAvgPool:
            return .globalAvgPool(try multipliers(name, 1)[0])
        case .add:
            return .add(multipliers: try int32("\(name).multiplier", layer.inputs.count), shift: try int32("\(name).shift", 1)[0])
        case .concat:
            return .concat(try multipliers(name, layer.inputs.count))
        case .relu:
            return .relu
        case .flatten:
            return .flatten
        case .batchNorm, .dropout, .softmax:
            throw fail("layer '\(name)' (\(layer.op.kind.keyword)) cannot appear in an int8 network")
        }
    }
}
