/// Number formatting for tables, independent of the machine's locale so output is the same everywhere.
enum NumberText {
    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// `1234567` → `1,234,567 B (1.18 MiB)`; binary units because memory is allocated in them.
    static func bytes(_ count: Int) -> String {
        let units = ["KiB", "MiB", "GiB"]
        var scaled = Double(count)
        var unit: String?
        for candidate in units where scaled >= 1024 {
            scaled /= 1024
            unit = candidate
        }
        guard let unit else { return "\(grouped(count)) B" }
        return "\(grouped(count)) B (\(fixed(scaled, decimals: 2)) \(unit))"
    }

    /// `fixed(3.14159, decimals: 2)` → `3.14`, without Foundation's locale-aware formatting.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let scaled = Int((value * factor).rounded())
        let whole = scaled / Int(factor), fraction = abs(scaled % Int(factor))
        guard decimals > 0 else { return String(whole) }
        let digits = String(fraction)
        let sign = value < 0 && whole == 0 && fraction > 0 ? "-" : ""
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
