/// Element types a safetensors header may name. Declared in the reference implementation's order, which
/// its writer uses to lay tensors out (largest alignment first); `encoded()` relies on that order.
/// Sub-byte types (F4, F6_*) are not supported: their tensors cannot be sliced into whole bytes per element.
public enum SafeTensorsDType: String, Sendable, Hashable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case f8e8m0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3, .f8e8m0: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .c64, .f64, .i64, .u64: 8
        }
    }

    /// Position in the reference's dtype ordering; its writer stores higher ranks first.
    var layoutRank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// "BOOL, U8, ..." for messages about unknown dtypes.
    static var knownNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
