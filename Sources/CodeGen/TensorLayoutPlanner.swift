import NetSpec
import Reference
import Runtime

/// Decides where every int8 tensor lives in scratch memory: HWC, stored as `q + 128`, with a border wide
/// enough for the padding of every convolution that reads it (so conv kernels never bounds-check), 64-byte
/// aligned regions, and flatten as an alias (same bytes, CHW order recovered from the placement).
struct TensorLayout {
    /// Tensor ids: -1 is the network input, i ≥ 0 is layer i's output.
    private(set) var placements: [Int: TensorPlacement] = [:]
    /// Start and size of the region holding each tensor (borders included).
    private(set) var regions: [Int: (start: Int, bytes: Int)] = [:]
    private(set) var fills: [(offset: Int, count: Int, value: UInt8)] = []
    private(set) var scratchBytes = 0

    struct Border { var top = 0, bottom = 0, left = 0, right = 0 }

    static func id(_ source: LayerInput) -> Int {
        switch source {
        case .networkInput: -1
        case .layer(let i): i
        }
    }

    init(model: Int8Model) throws(CodeGenError) {
        let layers = model.layers
        func fail(_ i: Int, _ what: String) -> CodeGenError {
            CodeGenError("model '\(model.name)': layer '\(layers[i].name)' \(what)")
        }
        // Flatten shares its input's bytes.
        var root: [Int: Int] = [-1: -1]
        for (i, layer) in layers.enumerated() {
            if case .flatten = layer.op { root[i] = root[Self.id(layer.inputs[0])] ?? -1 } else { root[i] = i }
        }
        var borders: [Int: Border] = [:]
        for layer in layers {
            guard case .convolution(let conv) = layer.op else { continue }
            let shape = layer.inputShapes[0]
            let rows = conv.padding.amounts(input: shape.height, kernel: conv.kernel.height, stride: conv.stride.height)
            let cols = conv.padding.amounts(input: shape.width, kernel: conv.kernel.width, stride: conv.stride.width)
            let r = root[Self.id(layer.inputs[0])] ?? -1
            var b = borders[r] ?? Border()
            b.top = max(b.top, rows.before); b.bottom = max(b.bottom, rows.after)
            b.left = max(b.left, cols.before); b.right = max(b.right, cols.after)
            borders[r] = b
        }
        // Geometry (height, width, channels) of every stored tensor.
        var geometry: [Int: (h: Int, w: Int, c: Int)] = [:]
        func spatial(_ s: Shape) -> (h: Int, w: Int, c: Int) { (s.height, s.width, s.channels) }
        geometry[-1] = spatial(model.inputShape)
        for (i, layer) in layers.enumerated() {
            if layer.outputShape.isSpatial { geometry[i] = spatial(layer.outputShape); continue }
            let inputGeometries = layer.inputs.map { geometry[Self.id($0)] ?? (0, 0, 0) }
            switch layer.op {
            case .flatten:
                geometry[i] = inputGeometries[0]
            case .relu:
                geometry[i] = inputGeometries[0]
            case .add:
                guard inputGeometries.allSatisfy({ $0 == inputGeometries[0] }) else {
                    throw fail(i, "adds flat tensors stored in different layouts (\(inputGeometries)); not supported")
                }
                geometry[i] = inputGeometries[0]
            case .concat:
                guard inputGeometries.allSatisfy({ $0.h == 1 && $0.w == 1 }) else {
                    throw fail(i, "concatenates flattened spatial tensors; not supported (concat before flatten)")
                }
                geometry[i] = (1, 1, layer.outputShape.elementCount)
            default:
                geometry[i] = (1, 1, layer.outputShape.elementCount)
            }
        }
        var cursor = 0
        for id in [-1] + Array(layers.indices) where root[id] == id {
            guard let g = geometry[id] else { continue }
            let b = borders[id] ?? Border()
            let rowStride = (g.w + b.left + b.right) * g.c
            let bytes = (g.h + b.top + b.bottom) * rowStride
            let start = (cursor + 63) / 64 * 64
            let zero = Int32(id == -1 ? model.input.zeroPoint : layers[id].output.zeroPoint) + 128
            placements[id] = TensorPlacement(offset: start + b.top * rowStride + b.left * g.c, height: g.h, width: g.w,
                                             channels: g.c, rowStride: rowStride, zero: zero)
            regions[id] = (start, bytes)
            if b.top + b.bottom + b.left + b.right > 0 {
                fills.append((offset: start, count: bytes, value: UInt8(zero)))
            }
            // 64 bytes of slack: kernels may read up to 3 bytes past a kernel row or a dense input.
            cursor = start + bytes + 64
        }
        for (id, r) in root where id != r {
            placements[id] = placements[r]
            regions[id] = regions[r]
        }
        scratchBytes = (cursor + 63) / 64 * 64
    }

    func placement(_ source: LayerInput) -> TensorPlacement { placements[Self.id(source)] ?? Self.empty }
    func placement(layer i: Int) -> TensorPlacement { placements[i] ?? Self.empty }
    func region(_ source: LayerInput) -> (start: Int, bytes: Int) { regions[Self.id(source)] ?? (0, 0) }

    static let empty = TensorPlacement(offset: 0, height: 0, width: 0, channels: 0, rowStride: 0, zero: 128)
}
