import Foundation
import NetSpec

/// Turns raw 8-bit images into normalized network inputs, optionally through a random affine distortion:
/// rotation, isotropic scaling and translation about the image centre, sampled bilinearly (outside is 0).
struct Augmenter {
    let input: InputSpec
    let options: TrainingConfiguration.Augmentation
    /// Normalized value of each possible pixel, so the hot loop never divides.
    private let table: [Float]

    init(input: InputSpec, options: TrainingConfiguration.Augmentation) {
        self.input = input
        self.options = options
        table = (0...255).map { input.normalize(UInt8($0)) }
    }

    /// Writes one image (C×H×W bytes) into `destination` without distortion.
    func copy(_ pixels: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>) {
        let count = input.shape.elementCount
        table.withUnsafeBufferPointer { table in
            for i in 0..<count { destination[i] = table[Int(pixels[i])] }
        }
    }

    /// Writes one distorted image; the distortion is drawn from `random`.
    func distort(_ pixels: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>,
                 random: inout RandomGenerator) {
        let angle = random.uniform(-options.maxRotationDegrees, options.maxRotationDegrees) * .pi / 180
        let scale = 1 + random.uniform(-options.maxScale, options.maxScale)
        let shiftX = random.uniform(-options.maxShift, options.maxShift)
        let shiftY = random.uniform(-options.maxShift, options.maxShift)
        let channels = input.shape.channels, height = input.shape.height, width = input.shape.width
        let centerX = Float(width - 1) / 2, centerY = Float(height - 1) / 2
        // Output pixel p maps back to source R(−θ)·(p − c − t)/s + c.
        let cosine = cos(angle) / scale, sine = sin(angle) / scale
        let zero = input.normalize(0)
        for c in 0..<channels {
            let plane = pixels + c * height * width
            let out = destination + c * height * width
            for y in 0..<height {
                let dy = Float(y) - centerY - shiftY
                for x in 0..<width {
                    let dx = Float(x) - centerX - shiftX
                    let sx = cosine * dx + sine * dy + centerX
                    let sy = -sine * dx + cosine * dy + centerY
                    let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                    let fx = sx - Float(x0), fy = sy - Float(y0)
                    @inline(__always) func at(_ yy: Int, _ xx: Int) -> Float {
                        yy >= 0 && yy < height && xx >= 0 && xx < width ? Float(plane[yy * width + xx]) : 0
                    }
                    if x0 < -1 || y0 < -1 || x0 >= width || y0 >= height {
                        out[y * width + x] = zero
                        continue
                    }
                    let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
                    let bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
                    let value = top * (1 - fy) + bottom * fy
                    out[y * width + x] = (value * input.scale - input.mean) / input.std
                }
            }
        }
    }
}
