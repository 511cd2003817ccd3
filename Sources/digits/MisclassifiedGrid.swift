import Imaging
import ModelIO

/// `eval --misclassified out.png`: every misclassified test digit as the model saw it, sorted by true class
/// (then predicted class, then test-set order), labelled "true→predicted" with the prediction in red.
struct MisclassifiedGrid {
    var run: EvaluationRun
    var columns = 20
    var scale = 2

    /// Test-set indices of the misclassified images, in grid order.
    var indices: [Int] {
        let e = run.evaluation
        return e.truth.indices.filter { e.truth[$0] != e.predictions[$0] }
            .sorted { (e.truth[$0], e.predictions[$0], $0) < (e.truth[$1], e.predictions[$1], $1) }
    }

    func tiles() -> [DigitTile] {
        let e = run.evaluation
        return indices.map { i in
            let name = { (c: Int) in c < e.classNames.count ? e.classNames[c] : String(c) }
            return DigitTile(pixels: Array(run.pixels[(i * 784)..<((i + 1) * 784)]), size: 28,
                             label: [LabelRun(name(e.truth[i]) + "→", color: .black), LabelRun(name(e.predictions[i]), color: .red)])
        }
    }

    /// Writes the grid atomically and returns how many digits it holds; writes nothing when there are none.
    func write(to path: String) throws -> Int {
        let tiles = tiles()
        guard !tiles.isEmpty else { return 0 }
        try PNGEncoder.write(DigitPictures.grid(tiles, columns: columns, scale: scale), to: path)
        return tiles.count
    }
}
