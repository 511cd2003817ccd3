/// 8-bit images with class labels, e.g. MNIST: `count` images of `pixelsPerImage` bytes each, consecutive.
public struct LabeledImages: Sendable {
    public var pixels: [UInt8]
    public var labels: [UInt8]
    public var pixelsPerImage: Int

    public var count: Int { labels.count }

    public init(pixels: [UInt8], labels: [UInt8], pixelsPerImage: Int) throws(TrainingError) {
        guard pixelsPerImage > 0, pixels.count == labels.count * pixelsPerImage else {
            throw .invalidData("\(pixels.count) pixels for \(labels.count) labels of \(pixelsPerImage) pixels each")
        }
        self.pixels = pixels
        self.labels = labels
        self.pixelsPerImage = pixelsPerImage
    }

    /// Images `range` as a new set.
    public func subset(_ range: Range<Int>) -> LabeledImages {
        // Sizes were validated at construction, so slicing cannot mismatch.
        LabeledImages(unchecked: Array(pixels[(range.lowerBound * pixelsPerImage)..<(range.upperBound * pixelsPerImage)]),
                      labels: Array(labels[range]), pixelsPerImage: pixelsPerImage)
    }

    /// Holds out the last `validationCount` images (the training set's tail, as in the classic 55,000 / 5,000
    /// MNIST split): the model never trains on them and they pick nothing but what the log reports.
    public func splittingValidation(count validationCount: Int) throws(TrainingError) -> (training: LabeledImages, validation: LabeledImages) {
        guard validationCount >= 0 && validationCount < count else {
            throw .invalidConfiguration("validation count must be in 0..<\(count) (the training images), found \(validationCount)")
        }
        return (subset(0..<(count - validationCount)), subset((count - validationCount)..<count))
    }

    private init(unchecked pixels: [UInt8], labels: [UInt8], pixelsPerImage: Int) {
        self.pixels = pixels
        self.labels = labels
        self.pixelsPerImage = pixelsPerImage
    }
}
