import CodeGen
import Foundation
import ModelIO
import Runtime

enum TestSupport {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed MNIST test set (Data/mnist).
    static let testSet: MNISTDataset? = try? MNISTDataset.load(.test, from: root.appendingPathComponent("Data/mnist"))

    static var paths: [KernelPath] {
        [.portable]
            + (KernelPath.avx2.isSupported(by: .current) && Kernels.avx2Compiled ? [.avx2] : [])
            + (KernelPath.avx512vnni.isSupported(by: .current) && Kernels.vnniCompiled ? [.avx512vnni] : [])
    }
}
