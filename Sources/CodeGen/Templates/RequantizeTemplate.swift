import Runtime

/// A per-tensor requantization constant (pools, concat): multiplier, shift and the stored-form clamp.
enum RequantizeTemplate {
    static func literal(_ r: Requantization) -> String {
        "Requantization(multiplier: \(r.multiplier), shift: \(r.shift), zero: \(r.zero), min: \(r.min), max: \(r.max))"
    }
}
