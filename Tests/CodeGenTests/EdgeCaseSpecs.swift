import Foundation

/// Small specs (Tests/EdgeCases/*.spec) that stress the kernels' edges: channel counts around the SIMD width
/// W = 16 (1, W−1, W, W+1, 2W+1), odd spatial sizes, stride/padding combinations, depthwise, pools, add, concat,
/// convolutions fused with the max pool after them.
/// They are also compiled into the test-only GeneratedEdgeCases target.
enum EdgeCaseSpecs {
    static let names = ["channels", "strides", "branches", "pools", "fusion", "winograd"]

    static func source(_ name: String) throws -> String {
        try String(contentsOf: TestSupport.root.appendingPathComponent("Tests/EdgeCases/\(name).spec"), encoding: .utf8)
    }
}
