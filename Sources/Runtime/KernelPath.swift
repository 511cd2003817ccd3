/// Which family of int8 kernels a predictor runs. Every path computes bit-identical results; they differ only
/// in the instructions used.
public enum KernelPath: String, Sendable, CaseIterable, Comparable {
    /// Swift SIMD types only: builds and runs anywhere Swift does.
    case portable
    /// 256-bit AVX2 integer multiply-add.
    case avx2
    /// 512-bit AVX-512 with VNNI dot products (`vpdpbusd`).
    case avx512vnni

    private var rank: Int {
        switch self {
        case .portable: 0
        case .avx2: 1
        case .avx512vnni: 2
        }
    }

    public static func < (a: KernelPath, b: KernelPath) -> Bool { a.rank < b.rank }

    /// Whether this CPU can run the path.
    public func isSupported(by cpu: CPUFeatures) -> Bool {
        switch self {
        case .portable: true
        case .avx2: cpu.avx2 && cpu.fma
        // Every AVX-512 CPU has AVX2; checked anyway, since this path also runs AVX2 kernels (the add).
        case .avx512vnni: cpu.avx512f && cpu.avx512bw && cpu.avx512vl && cpu.avx512vnni && cpu.avx2
        }
    }

    /// The fastest path the CPU supports.
    public static func best(for cpu: CPUFeatures) -> KernelPath {
        allCases.reversed().first { $0.isSupported(by: cpu) } ?? .portable
    }

    /// Environment variable that caps the path: `DIGITS_KERNEL_PATH=portable` forces the portable kernels.
    public static let environmentVariable = "DIGITS_KERNEL_PATH"

    public struct SelectionError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The path to use: the requested one (flag or environment) if given and supported, else the best.
    /// Requesting a path the CPU lacks is an error rather than a silent fallback, so benchmarks never lie.
    public static func select(requested: String?, environment: [String: String], cpu: CPUFeatures) throws(SelectionError) -> KernelPath {
        let source: String
        let name: String
        if let requested {
            (source, name) = ("--kernel-path", requested)
        } else if let value = environment[environmentVariable], !value.isEmpty {
            (source, name) = ("$\(environmentVariable)", value)
        } else {
            return best(for: cpu)
        }
        guard let path = KernelPath(rawValue: name) else {
            throw SelectionError(description: "\(source)=\(name): unknown kernel path; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard path.isSupported(by: cpu) else {
            throw SelectionError(description: "\(source)=\(name): this CPU lacks the instructions for it (has: \(cpu.names.joined(separator: " ")))")
        }
        return path
    }
}
