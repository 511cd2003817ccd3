/// Resolves a parsed spec into a `Network`: names, inputs, attribute defaults, shapes, and labels.
struct GraphBuilder {
    let file: String

    func build(_ syntax: SpecSyntax) throws(SpecError) -> Network {
        var errors: [Diagnostic] = []
        var networkName: Located<String>?
        var input: InputSpec?
        // An 'input' statement that was present but wrong has been reported; don't also call it missing.
        var inputStatementSeen = false
        var labels: Located<[String]>?
        var layers: [Layer] = []
        var nameIndex: [String: Int] = [:]
        var autoNameCounters: [LayerKind: Int] = [:]
        var explicitNames = Set<String>()
        var used = Set<Int>()

        // Explicit names are reserved up front so automatic names never take them.
        for case .layer(let layer) in syntax.statements {
            if let name = layer.name?.value { explicitNames.insert(name) }
        }
        var allLayerLines: [String: Int] = [:]
        for case .layer(let layer) in syntax.statements {
            if let name = layer.name { allLayerLines[name.value] = allLayerLines[name.value] ?? name.location.line }
        }

        for statement in syntax.statements {
            switch statement {
            case .network(let name, let location):
                if let previous = networkName {
                    errors.append(Diagnostic(at: location, "'network' given twice (first at line \(previous.location.line))"))
                } else {
                    networkName = name
                }
            case .input(let shape, let attributes, let location):
                if inputStatementSeen {
                    errors.append(Diagnostic(at: location, "'input' given twice; a network has one input"))
                    continue
                }
                if !layers.isEmpty {
                    errors.append(Diagnostic(at: location, "'input' must come before the first layer"))
                }
                inputStatementSeen = true
                do {
                    input = try inputSpec(shape: shape, attributes: attributes, at: location)
                } catch {
                    errors.append(contentsOf: error.diagnostics)
                }
            case .labels(let list, let location):
                if labels != nil {
                    errors.append(Diagnostic(at: location, "'labels' given twice"))
                    continue
                }
                var seen: [String: Int] = [:]
                for label in list {
                    if let line = seen[label.value] {
                        errors.append(Diagnostic(at: label.location, "label '\(label.value)' appears twice (first on line \(line))"))
                    }
                    seen[label.value] = label.location.line
                }
                labels = Located(value: list.map(\.value), location: location)
            case .layer(let syntax):
                guard let networkInput = input else {
                    if inputStatementSeen { return try fail(errors) }
                    errors.append(Diagnostic(at: syntax.kind.location, "layers must come after 'input CxHxW', which is missing above this line"))
                    return try fail(errors)
                }
                do {
                    let layer = try buildLayer(syntax, index: layers.count, networkInput: networkInput, layers: layers,
                                               nameIndex: nameIndex, explicitNames: explicitNames,
                                               allLayerLines: allLayerLines, autoNameCounters: &autoNameCounters)
                    for case .layer(let producer) in layer.inputs { used.insert(producer) }
                    nameIndex[layer.name] = layers.count
                    layers.append(layer)
                } catch {
                    // Later layers depend on this one's shape; report what we have rather than cascading errors.
                    errors.append(contentsOf: error.diagnostics)
                    return try fail(errors)
                }
            }
        }

        guard let networkInput = input else {
            if inputStatementSeen { return try fail(errors) }
            errors.append(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1),
                                     "missing 'input CxHxW' statement (for MNIST: input 1x28x28)"))
            return try fail(errors)
        }
        guard let last = layers.last else {
            errors.append(Diagnostic(at: networkInput.location, "the network has no layers after 'input'"))
            return try fail(errors)
        }
        for (index, layer) in layers.enumerated().dropLast() where !used.contains(index) {
            errors.append(Diagnostic(at: layer.location,
                "the output of layer '\(layer.name)' is never used; only the last layer ('\(last.name)') is the network's output"))
        }
        if !last.outputShape.isFlat {
            errors.append(Diagnostic(at: last.location,
                "the network's output ('\(last.name)', \(last.outputShape)) must be a flat vector of class scores; end with dense (and softmax)"))
        }
        let classCount = last.outputShape.elementCount
        if let labels, labels.value.count != classCount, last.outputShape.isFlat {
            errors.append(Diagnostic(at: labels.location,
                "\(labels.value.count) labels given but the network's output ('\(last.name)') has \(classCount) classes"))
        }
        if !errors.isEmpty { return try fail(errors) }
        // Only now, when the output is known to be a flat class vector, is it safe to spell out default labels.
        let labelList = labels?.value ?? (0..<classCount).map(String.init)
        return Network(name: networkName?.value ?? Self.stem(of: file), file: file, input: networkInput,
                       labels: labelList, layers: layers)
    }

    private func fail(_ errors: [Diagnostic]) throws(SpecError) -> Network {
        throw SpecError(errors.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
    }

    /// Layer names become `state_dict` keys (`<layer>.weight`), so they must be plain identifiers: a '.' would
    /// make the key ambiguous, and '-' is not valid in a PyTorch module name.
    static func nameProblem(_ name: String) -> String? {
        let isPlain = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0)
            || ("0"..."9").contains($0) || $0 == "_" }
        return isPlain ? nil : "may only contain letters, digits and '_' (it becomes the weight name '\(name).weight')"
    }

    static func stem(of path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if base.hasSuffix(".spec") { return String(base.dropLast(5)) }
        return base
    }

    private func inputSpec(shape: Located<[Int]>, attributes: [AttributeSyntax], at location: SourceLocation) throws(SpecError) -> InputSpec {
        guard shape.value.count == 3, shape.value.allSatisfy({ $0 >= 1 && $0 <= 65_536 }) else {
            throw SpecError(at: shape.location,
                "input shape must be channels x height x width with positive sizes, like 1x28x28; found '\(shape.value.map(String.init).joined(separator: "x"))'")
        }
        let elements = shape.value.reduce(1, *)
        guard elements <= SizeLimits.maxTensorElements else {
            throw SpecError(at: shape.location,
                "input shape '\(Shape(shape.value))' has \(elements) elements, more than the limit of \(SizeLimits.maxTensorElements)")
        }
        var reader = try AttributeReader(owner: "input", attributes: attributes, allowed: ["scale", "mean", "std"], at: location)
        let scale = reader.number("scale", default: 1.0 / 255.0, in: 0...1e6, open: true, describe: "a positive number such as 1/255")
        let mean = reader.number("mean", default: 0, in: -1e6...1e6, describe: "a number")
        let std = reader.number("std", default: 1, in: 0...1e6, open: true, describe: "a positive number")
        try reader.finish()
        return InputSpec(shape: Shape(shape.value), scale: Float(scale), mean: Float(mean), std: Float(std), location: location)
    }

    private func buildLayer(_ syntax: LayerSyntax, index: Int, networkInput: InputSpec, layers: [Layer],
                            nameIndex: [String: Int], explicitNames: Set<String>, allLayerLines: [String: Int],
                            autoNameCounters: inout [LayerKind: Int]) throws(SpecError) -> Layer {
        let location = syntax.name?.location ?? syntax.kind.location
        guard let kind = LayerKind(rawValue: syntax.kind.value) else {
            let known = LayerKind.allCases.map(\.keyword)
            throw SpecError(at: syntax.kind.location,
                "unknown layer kind '\(syntax.kind.value)'\(Suggestion.hint(for: syntax.kind.value, in: known)) (known kinds: \(known.joined(separator: ", ")))")
        }

        // Name: explicit, or Keras-style automatic (`conv2d`, `conv2d_1`, …).
        let name: String
        if let explicit = syntax.name {
            if explicit.value == "input" {
                throw SpecError(at: explicit.location, "'input' is reserved for the network input; choose another layer name")
            }
            if let problem = Self.nameProblem(explicit.value) {
                throw SpecError(at: explicit.location, "layer name '\(explicit.value)' \(problem)")
            }
            if let previous = nameIndex[explicit.value] {
                throw SpecError(at: explicit.location,
                    "layer name '\(explicit.value)' already used on line \(layers[previous].location.line)")
            }
            name = explicit.value
        } else {
            var counter = autoNameCounters[kind, default: 0]
            func autoName(_ n: Int) -> String { n == 0 ? kind.keyword : "\(kind.keyword)_\(n)" }
            while explicitNames.contains(autoName(counter)) || nameIndex[autoName(counter)] != nil { counter += 1 }
            name = autoName(counter)
            autoNameCounters[kind] = counter + 1
        }

        // Inputs: explicit list, or the previous layer.
        var inputs: [LayerInput] = []
        var sources: [String] = []
        if let explicit = syntax.inputs {
            for reference in explicit {
                if reference.value == "input" {
                    inputs.append(.networkInput)
                    sources.append("'input'")
                } else if let producer = nameIndex[reference.value] {
                    inputs.append(.layer(producer))
                    sources.append("'\(reference.value)'")
                } else if reference.value == syntax.name?.value {
                    throw SpecError(at: reference.location,
                        "layer '\(reference.value)' cannot read its own output; list the layers above it that it reads")
                } else if let line = allLayerLines[reference.value] {
                    throw SpecError(at: reference.location,
                        "layer '\(reference.value)' is defined later (line \(line)); a layer can only read layers above it")
                } else {
                    let known = ["input"] + layers.map(\.name)
                    throw SpecError(at: reference.location,
                        "unknown input '\(reference.value)'\(Suggestion.hint(for: reference.value, in: known)) (layers defined so far: \(known.joined(separator: ", ")))")
                }
            }
        } else if let previous = layers.last {
            inputs = [.layer(index - 1)]
            sources = ["'\(previous.name)'"]
        } else {
            inputs = [.networkInput]
            sources = ["'input'"]
        }
        let arity = LayerCatalog.arity(of: kind)
        guard arity.contains(inputs.count) else {
            let plural = { (count: Int) in count == 1 ? "input" : "inputs" }
            let expected = arity.lowerBound == arity.upperBound
                ? "exactly \(arity.lowerBound) \(plural(arity.lowerBound))"
                : inputs.count < arity.lowerBound
                    ? "at least \(arity.lowerBound) \(plural(arity.lowerBound))"
                    : "at most \(arity.upperBound) \(plural(arity.upperBound))"
            let hint = syntax.inputs == nil && arity.lowerBound > 1 ? "; list them like \(kind.keyword)(a, b)" : ""
            throw SpecError(at: syntax.kind.location,
                "\(kind.keyword) takes \(expected), found \(inputs.count)\(hint)")
        }

        let allowed = LayerCatalog.attributes(of: kind).map(\.name)
        var reader = try AttributeReader(owner: kind.keyword, attributes: syntax.attributes, allowed: allowed,
                                         at: syntax.kind.location)
        let op = LayerCatalog.operation(kind: kind, reader: &reader)
        try reader.finish()
        let inputShapes = inputs.map { source -> Shape in
            switch source {
            case .networkInput: networkInput.shape
            case .layer(let i): layers[i].outputShape
            }
        }
        let outputShape: Shape
        do {
            outputShape = try ShapeInference.outputShape(of: op, inputs: inputShapes, sources: sources)
        } catch {
            throw SpecError(at: syntax.kind.location, "layer '\(name)': \(error.message)")
        }
        let layer = Layer(name: name, op: op, inputs: inputs, inputShapes: inputShapes, outputShape: outputShape,
                          location: location)
        if let problem = SizeLimits.problem(with: layer) {
            throw SpecError(at: syntax.kind.location, "layer '\(name)' is too large: \(problem)")
        }
        return layer
    }
}
