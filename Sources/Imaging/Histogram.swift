/// A 256-bin histogram of 8-bit values with the order statistics preprocessing needs.
struct Histogram {
    var counts = [Int](repeating: 0, count: 256)
    var total = 0

    init() {}

    init(_ values: [UInt8]) {
        values.withUnsafeBufferPointer { buffer in
            counts.withUnsafeMutableBufferPointer { bins in
                for value in buffer { bins[Int(value)] += 1 }
            }
        }
        total = values.count
    }

    mutating func add(_ value: UInt8) {
        counts[Int(value)] += 1
        total += 1
    }

    /// The smallest value v with at least `rank + 1` values ≤ v (rank 0 = minimum).
    func value(atRank rank: Int) -> Int {
        var seen = 0
        for value in 0..<256 {
            seen += counts[value]
            if seen > rank { return value }
        }
        return 255
    }

    /// The largest value v with at least `rank + 1` values ≥ v (rank 0 = maximum).
    func value(atRankFromTop rank: Int) -> Int {
        var seen = 0
        for value in stride(from: 255, through: 0, by: -1) {
            seen += counts[value]
            if seen > rank { return value }
        }
        return 0
    }

    var median: Int { value(atRank: max(0, (total - 1) / 2)) }

    /// Median absolute deviation from `center`.
    func medianAbsoluteDeviation(from center: Int) -> Int {
        var deviations = Histogram()
        for value in 0..<256 where counts[value] > 0 {
            deviations.counts[abs(value - center)] += counts[value]
        }
        deviations.total = total
        return deviations.median
    }

    /// Otsu's threshold: the t maximising the between-class variance of {≤ t} and {> t}, with the two class
    /// means and the within-class standard deviation of the lower class (to judge whether they really differ).
    func otsu() -> (threshold: Int, lowerMean: Double, upperMean: Double, lowerDeviation: Double) {
        let total = Double(self.total)
        var sumAll = 0.0
        for value in 0..<256 { sumAll += Double(value) * Double(counts[value]) }
        var best = (threshold: 0, score: -1.0)
        var weightLow = 0.0, sumLow = 0.0
        for t in 0..<255 {
            weightLow += Double(counts[t])
            sumLow += Double(t) * Double(counts[t])
            let weightHigh = total - weightLow
            guard weightLow > 0, weightHigh > 0 else { continue }
            let meanLow = sumLow / weightLow, meanHigh = (sumAll - sumLow) / weightHigh
            let score = weightLow * weightHigh * (meanHigh - meanLow) * (meanHigh - meanLow)
            if score > best.score { best = (t, score) }
        }
        var weight = 0.0, sum = 0.0, squares = 0.0, upperWeight = 0.0, upperSum = 0.0
        for value in 0..<256 {
            let count = Double(counts[value])
            if value <= best.threshold {
                weight += count
                sum += Double(value) * count
                squares += Double(value * value) * count
            } else {
                upperWeight += count
                upperSum += Double(value) * count
            }
        }
        let lowerMean = weight > 0 ? sum / weight : 0
        let variance = weight > 0 ? max(0, squares / weight - lowerMean * lowerMean) : 0
        return (best.threshold, lowerMean, upperWeight > 0 ? upperSum / upperWeight : lowerMean, variance.squareRoot())
    }
}
