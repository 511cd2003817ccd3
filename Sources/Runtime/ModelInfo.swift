/// What a compiled model is, for listing and checking: written as constants by the generator.
public struct ModelInfo: Sendable, Hashable {
    /// The network name from the spec (`network seed`), also the registry key.
    public var name: String
    /// Spec file the model was compiled from, relative to the repository root.
    public var specPath: String
    public var specSHA256: String
    /// SHA-256 of the float weights the int8 model was quantized from.
    public var weightsSHA256: String
    /// Input as [channels, height, width].
    public var inputShape: [Int]
    public var labels: [String]
    public var macs: Int
    public var parameters: Int
    /// Logits are int8 with `real = outputScale × (q − outputZeroPoint)`.
    public var outputScale: Double
    public var outputZeroPoint: Int32

    public init(name: String, specPath: String, specSHA256: String, weightsSHA256: String, inputShape: [Int],
                labels: [String], macs: Int, parameters: Int, outputScale: Double, outputZeroPoint: Int32) {
        self.name = name
        self.specPath = specPath
        self.specSHA256 = specSHA256
        self.weightsSHA256 = weightsSHA256
        self.inputShape = inputShape
        self.labels = labels
        self.macs = macs
        self.parameters = parameters
        self.outputScale = outputScale
        self.outputZeroPoint = outputZeroPoint
    }

    public var inputCount: Int { inputShape.reduce(1, *) }
    public var classes: Int { labels.count }
}
