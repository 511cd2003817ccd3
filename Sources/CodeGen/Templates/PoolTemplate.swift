import Runtime

/// max, average and global average pools (windows clipped to the input; no padding in memory).
enum PoolTemplate {
    static func constant(_ l: PoolLayer, indent: String) -> String {
        let inner = indent + "    "
        return SwiftLiteral.call("PoolLayer", [
            ("input", SwiftLiteral.placement(l.input, indent: inner)),
            ("output", SwiftLiteral.placement(l.output, indent: inner)),
            ("kernelH", "\(l.kernelH)"), ("kernelW", "\(l.kernelW)"), ("strideY", "\(l.strideY)"),
            ("strideX", "\(l.strideX)"), ("padTop", "\(l.padTop)"), ("padLeft", "\(l.padLeft)"),
            ("requantization", SwiftLiteral.array(l.requantization.map(RequantizeTemplate.literal), indent: inner)),
        ], indent: indent)
    }

    static func call(_ name: String, kernel: String) -> String {
        "PortableKernels.\(kernel)(Layout.\(name), scratch: s)"
    }
}
