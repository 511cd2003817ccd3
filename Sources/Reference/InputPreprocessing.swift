import ModelIO
import NetSpec

/// Raw pixels (0…255) to the model's input, exactly as the spec's `input` line says:
/// `x = (pixel · scale − mean) / std` (`InputSpec.normalize`).
public enum InputPreprocessing {
    /// `count` images of `input.shape` (for MNIST 1×28×28) stored back to back, row-major, to a batch tensor
    /// `[count, C, H, W]`. `pixels.count` must be `count · C·H·W`; callers pass data their loader validated.
    public static func batch(from pixels: some RandomAccessCollection<UInt8>, count: Int, input: InputSpec) -> Tensor {
        let perImage = input.shape.elementCount
        precondition(pixels.count == count * perImage,
                     "InputPreprocessing: \(pixels.count) pixels for \(count) images of \(input.shape)")
        // One division per possible pixel value instead of per pixel; same arithmetic, same results.
        let table = (0...255).map { input.normalize(UInt8($0)) }
        let scalars = pixels.map { table[Int($0)] }
        return Tensor(shape: [count] + input.shape.dims, scalars: scalars)
    }
}
