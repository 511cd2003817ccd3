import ArgumentParser
import CodeGen
import Foundation
import NetSpec
import Reference

/// `digits export-int8`: a compiled model's int8 network as JSON, for tools outside Swift (the ONNX Runtime
/// comparison in Benchmarks/ builds the same network and weights from it).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-int8",
        abstract: "Print a compiled model's int8 network (layers, quantization, integer weights) as JSON.")

    @Argument(help: "Model name from the registry (Generated/).")
    var model: String

    func run() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let origin = CodeGenerator.models(in: root.appendingPathComponent("Generated"))
            .first(where: { $0.typeName == CodeGenerator.typeName(for: model) })?.source else {
            throw ValidationError("no compiled model '\(model)' in Generated/")
        }
        let int8 = try origin.load(root: root).artifact.model
        var layers: [[String: Any]] = []
        for layer in int8.layers {
            var l: [String: Any] = [
                "name": layer.name, "kind": layer.op.kindName,
                "inputs": layer.inputs.map { source -> String in
                    switch source {
                    case .networkInput: "input"
                    case .layer(let i): int8.layers[i].name
                    }
                },
                "inputShapes": layer.inputShapes.map(\.dims), "outputShape": layer.outputShape.dims,
                "scale": layer.output.scale, "zeroPoint": layer.output.zeroPoint,
                "qmin": Int(layer.qmin), "qmax": Int(layer.qmax),
            ]
            switch layer.op {
            case .convolution(let c):
                let shape = layer.inputShapes[0]
                let rows = c.padding.amounts(input: shape.height, kernel: c.kernel.height, stride: c.stride.height)
                let cols = c.padding.amounts(input: shape.width, kernel: c.kernel.width, stride: c.stride.width)
                l["kernel"] = [c.kernel.height, c.kernel.width]
                l["stride"] = [c.stride.height, c.stride.width]
                l["pads"] = [rows.before, cols.before, rows.after, cols.after]
                l["groups"] = c.groups
                l["weights"] = c.weights.map(Int.init)
                l["bias"] = c.bias.map(Int.init)
                l["weightScales"] = c.weightScales
            case .dense(let d):
                l["weights"] = d.weights.map(Int.init)
                l["bias"] = d.bias.map(Int.init)
                l["weightScales"] = d.weightScales
            case .maxPool(let p), .avgPool(let p, _):
                let shape = layer.inputShapes[0]
                let rows = p.padding.amounts(input: shape.height, kernel: p.size.height, stride: p.stride.height)
                let cols = p.padding.amounts(input: shape.width, kernel: p.size.width, stride: p.stride.width)
                l["kernel"] = [p.size.height, p.size.width]
                l["stride"] = [p.stride.height, p.stride.width]
                l["pads"] = [rows.before, cols.before, rows.after, cols.after]
            default:
                break
            }
            layers.append(l)
        }
        let document: [String: Any] = [
            "name": int8.name, "inputShape": int8.inputShape.dims,
            "input": ["scale": int8.input.scale, "zeroPoint": int8.input.zeroPoint], "layers": layers,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        FileHandle.standardOutput.write(data)
    }
}
