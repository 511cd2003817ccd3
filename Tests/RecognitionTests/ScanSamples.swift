import Foundation
import ImagingTestSupport
import ModelIO

/// Scanning-style renders of MNIST test digits for the acceptance measurements: dark ink on light paper,
/// anywhere on a canvas 40…1000 px a side (log-uniform, aspect 0.6–1.6), the ink 35–90 % of the shorter side,
/// paper 180–255, ink 0–90, noise σ 0–5, each in one of the `ScanFlavor` PNG types, in turn.
/// Deterministic: sample `k` depends only on `seed` and `k`.
enum ScanSamples {
    struct Sample {
        var png: [UInt8]
        var label: Int
        var index: Int
        var width: Int
        var height: Int
        var flavor: ScanFlavor
    }

    static func digit(_ k: Int, seed: UInt64 = 2026, set: MNISTTestSet) -> Sample {
        var random = TestRandom(seed: seed &+ UInt64(k) &* 0x9E37_79B9)
        let index = k % set.images.count
        let side = exp(Double.random(in: log(40.0)...log(1000.0), using: &random))
        let aspect = exp(Double.random(in: log(0.6)...log(1.6), using: &random))
        let width = max(40, Int(side)), height = max(40, Int(side * aspect))
        // Size the digit by its ink (MNIST's is about 20 of the 28 rows), keep all of it on the canvas.
        let digit = set.images[index]
        let rows = (0..<28).filter { y in (0..<28).contains { digit[y * 28 + $0] > 0 } }
        let columns = NumberComposer.inkColumns(digit)
        let (top, bottom) = (Double(rows.first ?? 0), Double(rows.last ?? 27))
        let (left, right) = (Double(columns.lowerBound), Double(columns.upperBound))
        // Rendered ink of rows r0…r1 spans about [(r0 − 0.5)·scale, (r1 + 1.5)·scale] from the origin.
        let inkHeight = bottom - top + 2, inkWidth = right - left + 2
        let wanted = Double.random(in: 0.35...0.9, using: &random) * Double(min(width, height)) / inkHeight
        let scale = max(1, min(wanted, Double(width - 4) / inkWidth, Double(height - 4) / inkHeight))
        let freeX = max(0, Double(width - 4) - inkWidth * scale), freeY = max(0, Double(height - 4) - inkHeight * scale)
        let originX = 2 + Double.random(in: 0...freeX, using: &random) - (left - 0.5) * scale
        let originY = 2 + Double.random(in: 0...freeY, using: &random) - (top - 0.5) * scale
        let renderer = ScanRenderer(paper: Double.random(in: 180...255, using: &random),
                                    ink: Double.random(in: 0...90, using: &random),
                                    noise: Double.random(in: 0...5, using: &random))
        let image = renderer.render(set.images[index], width: width, height: height, originX: originX, originY: originY,
                                    scale: scale, seed: random.next())
        let flavor = ScanFlavor.allCases[k % ScanFlavor.allCases.count]
        return Sample(png: flavor.encode(image), label: set.labels[index], index: index, width: width, height: height, flavor: flavor)
    }

    struct Number {
        var png: [UInt8]
        var text: String
        var flavor: ScanFlavor
    }

    /// 3–8 digits written in a row, well separated (gaps 4–10 px at MNIST scale), scale 1.5–6, vertical
    /// jitter up to a fifth of a digit, random paper, ink, noise and PNG type.
    static func number(_ k: Int, seed: UInt64 = 4242, set: MNISTTestSet) -> Number {
        var random = TestRandom(seed: seed &+ UInt64(k) &* 0x9E37_79B9)
        let count = Int.random(in: 3...8, using: &random)
        let indices = (0..<count).map { _ in Int.random(in: 0..<set.images.count, using: &random) }
        let scale = Double.random(in: 1.5...6, using: &random)
        let renderer = ScanRenderer(paper: Double.random(in: 180...255, using: &random),
                                    ink: Double.random(in: 0...90, using: &random),
                                    noise: Double.random(in: 0...5, using: &random))
        let gaps = (1..<count).map { _ in Double.random(in: 4...10, using: &random) * scale }
        let jitter = (0..<count).map { _ in Double.random(in: 0...5.6, using: &random) * scale }
        let composed = NumberComposer(renderer: renderer).compose(indices.map { set.images[$0] }, scale: scale, gaps: gaps,
                                                                   jitter: jitter, margin: Double.random(in: 10...60, using: &random))
        let flavor = ScanFlavor.allCases[k % ScanFlavor.allCases.count]
        return Number(png: flavor.encode(composed.image), text: indices.map { String(set.labels[$0]) }.joined(), flavor: flavor)
    }
}
