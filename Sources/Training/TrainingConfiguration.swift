/// Everything that decides a training run. Two runs with equal configurations, data and thread count produce
/// bit-identical weights.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    public enum Optimizer: Sendable, Codable, Equatable {
        /// PyTorch-style momentum SGD; weight decay is added to the gradient (L2).
        case sgd(momentum: Float, nesterov: Bool)
        /// Adam with L2 weight decay added to the gradient.
        case adam(beta1: Float, beta2: Float, epsilon: Float)
        /// Adam with decoupled weight decay (Loshchilov & Hutter).
        case adamW(beta1: Float, beta2: Float, epsilon: Float)

        public static let sgd = Optimizer.sgd(momentum: 0.9, nesterov: true)
        public static let adam = Optimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        public static let adamW = Optimizer.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    }

    public enum Schedule: Sendable, Codable, Equatable {
        case constant
        /// Linear warm-up over `warmupEpochs`, then cosine decay to zero.
        case cosine(warmupEpochs: Double)
        /// One-cycle: linear rise from lr/25 to lr over `warmupFraction` of all steps, cosine fall to lr/10⁴.
        case oneCycle(warmupFraction: Double)
    }

    /// Random affine distortions suited to handwriting, drawn independently per image and epoch.
    public struct Augmentation: Sendable, Codable, Equatable {
        public var enabled: Bool
        /// Maximum translation in pixels along each axis.
        public var maxShift: Float
        public var maxRotationDegrees: Float
        /// Maximum relative change of size (0.1 = ±10 %).
        public var maxScale: Float

        public init(enabled: Bool = true, maxShift: Float = 2.5, maxRotationDegrees: Float = 12, maxScale: Float = 0.1) {
            self.enabled = enabled
            self.maxShift = maxShift
            self.maxRotationDegrees = maxRotationDegrees
            self.maxScale = maxScale
        }

        public static let handwriting = Augmentation()
        public static let none = Augmentation(enabled: false)
    }

    public var epochs: Int
    public var batchSize: Int
    public var optimizer: Optimizer
    /// Peak learning rate (the schedule scales it).
    public var learningRate: Float
    /// Applied to convolution and dense weights only (not biases or batchnorm parameters).
    public var weightDecay: Float
    public var schedule: Schedule
    public var augmentation: Augmentation
    /// Softmax targets `1 − ε` for the label and `ε/(K−1)` elsewhere; 0 is plain cross-entropy.
    public var labelSmoothing: Float
    public var seed: UInt64
    /// Worker threads; each takes a contiguous slice of every batch.
    public var threads: Int

    public init(epochs: Int = 10, batchSize: Int = 128, optimizer: Optimizer = .adamW, learningRate: Float = 3e-3,
                weightDecay: Float = 0.05, schedule: Schedule = .oneCycle(warmupFraction: 0.2),
                augmentation: Augmentation = .handwriting, labelSmoothing: Float = 0, seed: UInt64 = 1, threads: Int = 2) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.augmentation = augmentation
        self.labelSmoothing = labelSmoothing
        self.seed = seed
        self.threads = threads
    }

    /// The training graph allocates activations for a whole batch up front; larger batches than MNIST's training
    /// set only fail that allocation.
    public static let maximumBatchSize = 60_000

    func validate() throws(TrainingError) {
        guard epochs >= 1 else { throw .invalidConfiguration("epochs must be at least 1, found \(epochs)") }
        guard (1...Self.maximumBatchSize).contains(batchSize) else {
            throw .invalidConfiguration("batch size must be in 1...\(Self.maximumBatchSize), found \(batchSize)")
        }
        guard (1...64).contains(threads) else { throw .invalidConfiguration("threads must be in 1...64, found \(threads)") }
        guard learningRate > 0 && learningRate.isFinite else {
            throw .invalidConfiguration("learning rate must be a positive number, found \(learningRate)")
        }
        guard weightDecay >= 0 && weightDecay.isFinite else {
            throw .invalidConfiguration("weight decay must be ≥ 0, found \(weightDecay)")
        }
        guard (0..<1).contains(labelSmoothing) else {
            throw .invalidConfiguration("label smoothing must be in [0, 1), found \(labelSmoothing)")
        }
        switch schedule {
        case .constant: break
        case .cosine(let warmupEpochs):
            guard warmupEpochs >= 0 && warmupEpochs.isFinite else {
                throw .invalidConfiguration("cosine warm-up must be a finite number of epochs ≥ 0, found \(warmupEpochs)")
            }
        case .oneCycle(let warmupFraction):
            guard (0...1).contains(warmupFraction) else {
                throw .invalidConfiguration("one-cycle warm-up must be a fraction in [0, 1], found \(warmupFraction)")
            }
        }
    }
}
