import NetSpec

/// The Keras-style text table `digits summary` prints.
struct SummaryTable {
    let network: Network
    let description: NetworkDescription

    func render() -> String {
        var out = "Network \"\(network.name)\" (\(network.file))\n"
        out += "Input \(network.input.shape), model input = (pixel * \(scaleText) - \(network.input.mean)) / \(network.input.std)\n"
        out += "Labels: \(network.labels.joined(separator: " "))\n\n"

        var header = ["Layer (kind)", "Output shape", "Params", "MACs"]
        let showInputs = !network.isSequential
        if showInputs { header.append("Connected to") }
        let rows: [[String]] = description.layers.map { layer in
            var row = ["\(layer.name) (\(layer.kind.keyword))", layer.outputShape.map(String.init).joined(separator: "x"),
                       NumberText.grouped(layer.parameterCount), NumberText.grouped(layer.macs)]
            if showInputs { row.append(layer.inputs.joined(separator: ", ")) }
            return row
        }
        let rightAligned: Set<Int> = [2, 3]
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let fill = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? fill + cell : cell + fill
            }
            return padded.joined(separator: "   ").trailingSpacesRemoved + "\n"
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 3 * (widths.count - 1)) + "\n"
        out += line(header) + rule
        for row in rows { out += line(row) }
        out += rule

        let totals = description.totals
        let facts: [(String, String)] = [
            ("Total params", "\(NumberText.grouped(totals.parameters)) (float32: \(NumberText.grouped(totals.parameters * 4)) B)"),
            ("Trainable params", NumberText.grouped(totals.trainableParameters)),
            ("Non-trainable params", NumberText.grouped(totals.nonTrainableParameters)
                + (totals.nonTrainableParameters > 0 ? " (batchnorm running statistics)" : "")),
            ("Total MACs", "\(NumberText.grouped(totals.macs)) per image"),
            ("Activations (all layer outputs)", "\(NumberText.grouped(totals.activationElements)) elements: "
                + "float32 \(NumberText.bytes(totals.activationBytesFloat32)), int8 \(NumberText.bytes(totals.activationBytesInt8))"),
            ("Peak live activations", "\(NumberText.grouped(totals.peakLiveActivationElements)) elements"
                + (totals.peakLayer.map { " (while '\($0)' runs)" } ?? "") + ": "
                + "float32 \(NumberText.bytes(totals.peakLiveActivationBytesFloat32)), int8 \(NumberText.bytes(totals.peakLiveActivationBytesInt8))"),
        ]
        let labelWidth = (facts.map(\.0.count).max() ?? 0) + 1
        for (label, value) in facts {
            out += (label + ":").padding(to: labelWidth) + " " + value + "\n"
        }
        return out
    }

    /// `1/255` rather than `0.003921569` when the scale is the reciprocal of a whole number.
    private var scaleText: String {
        let scale = Double(network.input.scale)
        let inverse = 1 / scale
        if inverse >= 1, abs(inverse - inverse.rounded()) < 1e-3 * inverse { return "1/\(Int(inverse.rounded()))" }
        return "\(network.input.scale)"
    }
}

private extension String {
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
