import Runtime

/// add, concat and standalone relu: per-element integer arithmetic over HWC placements.
enum ElementwiseTemplate {
    static func add(_ l: AddLayer, indent: String) -> String {
        let inner = indent + "    "
        return SwiftLiteral.call("AddLayer", [
            ("inputs", SwiftLiteral.array(l.inputs.map { SwiftLiteral.placement($0, indent: inner + "    ") }, indent: inner)),
            ("multipliers", "[\(l.multipliers.map(String.init).joined(separator: ", "))]"), ("shift", "\(l.shift)"),
            ("output", SwiftLiteral.placement(l.output, indent: inner)), ("outMin", "\(l.outMin)"), ("outMax", "\(l.outMax)"),
        ], indent: indent)
    }

    static func concat(_ l: ConcatLayer, indent: String) -> String {
        let inner = indent + "    "
        return SwiftLiteral.call("ConcatLayer", [
            ("inputs", SwiftLiteral.array(l.inputs.map { SwiftLiteral.placement($0, indent: inner + "    ") }, indent: inner)),
            ("requantization", SwiftLiteral.array(l.requantization.map(RequantizeTemplate.literal), indent: inner)),
            ("output", SwiftLiteral.placement(l.output, indent: inner)),
        ], indent: indent)
    }

    /// relu keeps the input's quantization: the pair of placements is the whole constant.
    static func relu(from: TensorPlacement, to: TensorPlacement, indent: String) -> String {
        "(from: \(SwiftLiteral.placement(from, indent: indent)), to: \(SwiftLiteral.placement(to, indent: indent)))"
    }

    static func call(_ name: String, kernel: String) -> String {
        switch kernel {
        case "relu": "PortableKernels.relu(from: Layout.\(name).from, to: Layout.\(name).to, scratch: s)"
        case "add": "Kernels.add(Layout.\(name), scratch: s, path: path)"
        default: "PortableKernels.\(kernel)(Layout.\(name), scratch: s)"
        }
    }
}
