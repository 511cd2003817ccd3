import Foundation
import NetSpec
import ModelIO
import Reference

/// The `.q8` quantized model: an `Int8Model` plus where it came from. Stored as safetensors (docs/quantization.md §5).
public struct Q8Artifact: Sendable {
    public static let format = "digits-q8"
    public static let version = "1"

    public var model: Int8Model
    public var specSource: String
    public var weightsSHA256: String
    public var calibration: CalibrationInfo
    /// Per calibrated layer name: the method that chose its range and the calibration SQNR (nil = exact).
    public var choices: [String: LayerCalibration]

    public struct CalibrationInfo: Sendable, Hashable, Codable {
        public var method: CalibrationMethod
        public var images: Int
        public var split: String
        public init(method: CalibrationMethod, images: Int, split: String = "train") {
            self.method = method
            self.images = images
            self.split = split
        }
    }

    public struct LayerCalibration: Sendable, Hashable, Codable {
        public var method: CalibrationMethod
        public var sqnr: Double?
        public init(method: CalibrationMethod, sqnr: Double?) {
            self.method = method
            self.sqnr = sqnr
        }
    }

    public init(model: Int8Model, specSource: String, weightsSHA256: String, calibration: CalibrationInfo,
                choices: [String: LayerCalibration]) {
        self.model = model
        self.specSource = specSource
        self.weightsSHA256 = weightsSHA256
        self.calibration = calibration
        self.choices = choices
    }

    public var specSHA256: String { SHA256.hex(Array(specSource.utf8)) }

    /// Per-tensor numbers kept in the metadata (everything per channel is a tensor).
    struct TensorInfo: Codable, Hashable {
        var scale: Double
        var zero_point: Int32
        var qmin: Int8
        var qmax: Int8
        var method: CalibrationMethod?
        var sqnr: Double?
    }

    struct InputInfo: Codable, Hashable {
        var scale: Double
        var zero_point: Int32
    }
}
