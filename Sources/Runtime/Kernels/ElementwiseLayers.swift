/// Residual add: `T = Σ_i (u_i − zero_i) × multipliers[i]`, then one rounding shift (docs/quantization.md §4).
public struct AddLayer: Sendable, Hashable {
    public var inputs: [TensorPlacement]
    public var multipliers: [Int64]
    public var shift: Int64
    public var output: TensorPlacement
    public var outMin: Int32
    public var outMax: Int32

    public init(inputs: [TensorPlacement], multipliers: [Int64], shift: Int64, output: TensorPlacement,
                outMin: Int32, outMax: Int32) {
        self.inputs = inputs
        self.multipliers = multipliers
        self.shift = shift
        self.output = output
        self.outMin = outMin
        self.outMax = outMax
    }
}

/// Channel concatenation: input i is requantized into output channels starting at the sum of the earlier ones.
public struct ConcatLayer: Sendable, Hashable {
    public var inputs: [TensorPlacement]
    public var requantization: [Requantization]
    public var output: TensorPlacement

    public init(inputs: [TensorPlacement], requantization: [Requantization], output: TensorPlacement) {
        self.inputs = inputs
        self.requantization = requantization
        self.output = output
    }
}

extension PortableKernels {
    @inlinable
    public static func add(_ l: AddLayer, scratch: UnsafeMutableRawPointer) {
        let out = l.output
        let round: Int64 = 1 &<< (l.shift &- 1)
        for y in 0..<out.height {
            for x in 0..<out.width {
                for c in 0..<out.channels {
                    var total: Int64 = 0
                    for i in l.inputs.indices {
                        let p = l.inputs[i]
                        let u = scratch.load(fromByteOffset: p.byteOffset(y: y, x: x, channel: c), as: UInt8.self)
                        total &+= Int64(Int32(u) - p.zero) &* l.multipliers[i]
                    }
                    let v = (total &+ round) &>> l.shift
                    scratch.storeBytes(of: Requantization.finish(v, zero: out.zero, min: l.outMin, max: l.outMax),
                                       toByteOffset: out.byteOffset(y: y, x: x, channel: c), as: UInt8.self)
                }
            }
        }
    }

    @inlinable
    public static func concat(_ l: ConcatLayer, scratch: UnsafeMutableRawPointer) {
        var first = 0
        for i in l.inputs.indices {
            let p = l.inputs[i], r = l.requantization[i]
            for y in 0..<p.height {
                for x in 0..<p.width {
                    for c in 0..<p.channels {
                        let u = scratch.load(fromByteOffset: p.byteOffset(y: y, x: x, channel: c), as: UInt8.self)
                        scratch.storeBytes(of: r.apply(Int64(Int32(u) - p.zero)),
                                           toByteOffset: l.output.byteOffset(y: y, x: x, channel: first + c), as: UInt8.self)
                    }
                }
            }
            first += p.channels
        }
    }

    /// `max(u, zero)`: real 0 is the floor.
    @inlinable
    public static func relu(from input: TensorPlacement, to output: TensorPlacement, scratch: UnsafeMutableRawPointer) {
        let floor = UInt8(truncatingIfNeeded: input.zero)
        for y in 0..<input.height {
            for x in 0..<input.width {
                for c in 0..<input.channels {
                    let u = scratch.load(fromByteOffset: input.byteOffset(y: y, x: x, channel: c), as: UInt8.self)
                    scratch.storeBytes(of: Swift.max(u, floor), toByteOffset: output.byteOffset(y: y, x: x, channel: c), as: UInt8.self)
                }
            }
        }
    }

    /// Raw CHW pixels → stored form: `u = q + 128 = pixel` (docs/quantization.md §1), HWC.
    @inlinable
    public static func loadInput(_ pixels: UnsafePointer<UInt8>, into input: TensorPlacement, scratch: UnsafeMutableRawPointer) {
        if input.channels == 1 {
            for y in 0..<input.height {
                (scratch + input.byteOffset(y: y, x: 0, channel: 0))
                    .copyMemory(from: pixels + y * input.width, byteCount: input.width)
            }
            return
        }
        for i in 0..<(input.channels * input.height * input.width) {
            scratch.storeBytes(of: pixels[i], toByteOffset: input.byteOffset(chw: i), as: UInt8.self)
        }
    }

    /// Stored form → int8 logits in CHW order (`q = u − 128`).
    @inlinable
    public static func storeOutput(_ output: TensorPlacement, scratch: UnsafeMutableRawPointer, to logits: UnsafeMutablePointer<Int8>) {
        for i in 0..<(output.channels * output.height * output.width) {
            logits[i] = Int8(bitPattern: scratch.load(fromByteOffset: output.byteOffset(chw: i), as: UInt8.self) ^ 0x80)
        }
    }
}
