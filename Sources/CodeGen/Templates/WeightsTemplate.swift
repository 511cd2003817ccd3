/// The weight blob as one base64 string literal (a single token: type-checks in constant time), decoded once
/// into 64-byte-aligned memory on first use.
enum WeightsTemplate {
    static func render(_ source: CompilationSource, weights: [UInt8], typeName: String, sourceLine: String) -> String {
        let text = Base64Lines.encode(weights)
        return """
            \(FileHeaderTemplate.render(source, file: "\(typeName)+Weights.swift", sourceLine: sourceLine))

            import Runtime

            extension \(typeName) {
                /// \(weights.count) bytes: per layer the packed int8 weights ([channels/16][kernel rows][runs of 4 input
                /// bytes][16][4]), then per channel the int32 bias (u8 form) and int64 multiplier, rounding and shift.
                enum Weights {
                    static let blob = WeightBlob(base64: \"\"\"
            \(text)
                        \"\"\", byteCount: \(weights.count))
                }
            }

            """
    }
}

import Runtime

enum Base64Lines {
    /// 100 characters per line, indented to sit inside the literal.
    static func encode(_ bytes: [UInt8]) -> String {
        Base64.encode(bytes, lineLength: 100).split(separator: "\n").map { "            " + $0 }.joined(separator: "\n")
    }
}
