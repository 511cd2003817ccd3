import Testing
import Foundation
@testable import Quantization
import Reference

@Suite struct CalibrationMethodTests {
    /// ReLU-like data: |gaussian| plus a few large outliers.
    static func histogram(_ values: [Float]) -> ActivationHistogram {
        var h = ActivationHistogram()
        h.observeRange(values)
        h.startHistogram()
        h.observeHistogram(values)
        return h
    }

    static let outlierData: [Float] = {
        var generator = SplitMix64(seed: 3)
        var values: [Float] = (0..<20_000).map { _ in
            let u1 = Float(generator.next() % 1_000_000 + 1) / 1_000_001, u2 = Float(generator.next() % 1_000_000) / 1_000_000
            return abs((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
        }
        values += [40, 35, 30]
        return values
    }()

    @Test func minMaxKeepsOutliersPercentileAndMSEClipThem() {
        let h = Self.histogram(Self.outlierData)
        let minMax = RangeSearch.choose(.minMax, h)
        #expect(minMax.lo == 0 && minMax.hi == 40)
        let percentile = RangeSearch.choose(.percentile, h)
        #expect(percentile.hi < 40 && percentile.hi > 3)
        let mse = RangeSearch.choose(.mse, h)
        #expect(mse.hi < 40)
        #expect(mse.sqnr > minMax.sqnr)
        for method in CalibrationMethod.allCases {
            #expect(RangeSearch.choose(method, h).quantization.zeroPoint == -128, "\(method)")
        }
    }

    @Test func autoPicksTheBestSQNR() {
        let h = Self.histogram(Self.outlierData)
        let auto = RangeSearch.choose(.auto, h)
        let all = CalibrationMethod.concrete.map { RangeSearch.choose($0, h) }
        #expect(auto.sqnr == all.map(\.sqnr).max())
        #expect(auto.method != .auto)
    }

    @Test func zeroRangeTensorIsExactWithUnitScale() {
        let h = Self.histogram([Float](repeating: 0, count: 100))
        for method in CalibrationMethod.allCases {
            let choice = RangeSearch.choose(method, h)
            #expect(choice.quantization == Int8Quantization(scale: 1, zeroPoint: 0))
            #expect(choice.sqnr == .infinity)
        }
    }

    @Test func signedDataGetsAMiddleZeroPoint() {
        let values: [Float] = (0...1000).map { Float($0) / 500 - 1 }   // uniform in [−1, 1]
        let choice = RangeSearch.choose(.minMax, Self.histogram(values))
        #expect(choice.quantization.zeroPoint == 0)
        #expect(choice.sqnr > 40)   // uniform data, 8 bits: ≈ 48 dB
    }
}
