import ModelIO

/// An RGB colour for grid drawing.
public struct RGBColor: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let black = RGBColor(red: 0, green: 0, blue: 0)
    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    public static let red = RGBColor(red: 200, green: 0, blue: 0)
    public static let green = RGBColor(red: 0, green: 130, blue: 0)
    static let gutter = RGBColor(red: 210, green: 210, blue: 210)
}

/// A piece of label text in one colour, e.g. the true label in black and the prediction in red.
public struct LabelRun: Sendable, Equatable {
    public var text: String
    public var color: RGBColor

    public init(_ text: String, color: RGBColor = .black) {
        self.text = text
        self.color = color
    }
}

/// One cell of a grid: a square digit (0 = background, 255 = ink, as the model sees it) and its label.
public struct DigitTile: Sendable, Equatable {
    public var pixels: [UInt8]
    public var size: Int
    public var label: [LabelRun]

    public init(pixels: [UInt8], size: Int = 28, label: [LabelRun]) {
        precondition(pixels.count == size * size, "DigitTile: pixels must be size×size")
        self.pixels = pixels
        self.size = size
        self.label = label
    }
}

/// Pictures of preprocessed digits: one enlarged, or many in a labelled grid (e.g. `eval --misclassified`).
public enum DigitPictures {
    /// A square digit enlarged `scale` times with crisp pixel blocks, ink bright as the model sees it
    /// (`inkDark` flips it to black ink on white for people).
    public static func enlarge(_ pixels: [UInt8], size: Int = 28, scale: Int = 1, inkDark: Bool = false) -> GrayImage {
        let side = size * scale
        var out = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let value = pixels[(y / scale) * size + x / scale]
                out[y * side + x] = inkDark ? 255 - value : value
            }
        }
        return GrayImage(width: side, height: side, pixels: out)
    }

    /// Tiles `columns` wide, each the digit enlarged `scale` times above a white strip with its label in the
    /// 5×7 font (also at `scale`), separated by light-grey gutters. Labels longer than a tile are clipped.
    public static func grid(_ tiles: [DigitTile], columns: Int, scale: Int = 2) -> RGBImage {
        let columns = max(1, min(columns, max(1, tiles.count)))
        let rows = max(1, (tiles.count + columns - 1) / columns)
        let size = tiles.first?.size ?? 28
        let gutter = 2 * scale, strip = (BitmapFont.glyphHeight + 4) * scale
        let cellWidth = size * scale, cellHeight = size * scale + strip
        let width = columns * cellWidth + (columns + 1) * gutter
        let height = rows * cellHeight + (rows + 1) * gutter
        var image = RGBImage(width: width, height: height, filledWith: (RGBColor.gutter.red, RGBColor.gutter.green, RGBColor.gutter.blue))

        func set(_ x: Int, _ y: Int, _ color: RGBColor, clip: PixelBox) {
            guard x >= clip.minX, x <= clip.maxX, y >= clip.minY, y <= clip.maxY else { return }
            let index = 3 * (y * width + x)
            image.pixels[index] = color.red
            image.pixels[index + 1] = color.green
            image.pixels[index + 2] = color.blue
        }

        for (number, tile) in tiles.enumerated() {
            let left = gutter + (number % columns) * (cellWidth + gutter)
            let top = gutter + (number / columns) * (cellHeight + gutter)
            let cell = PixelBox(minX: left, minY: top, maxX: left + cellWidth - 1, maxY: top + cellHeight - 1)
            for y in 0..<size * scale {
                for x in 0..<size * scale {
                    let value = tile.size == size ? tile.pixels[(y / scale) * size + x / scale] : 0
                    set(left + x, top + y, RGBColor(red: value, green: value, blue: value), clip: cell)
                }
            }
            for y in 0..<strip { for x in 0..<cellWidth { set(left + x, top + size * scale + y, .white, clip: cell) } }
            let text = tile.label.map(\.text).joined()
            var cursor = left + max(0, (cellWidth - BitmapFont.width(of: text, scale: scale)) / 2)
            let baseline = top + size * scale + 2 * scale
            for run in tile.label {
                BitmapFont.render(run.text, scale: scale) { x, y in set(cursor + x, baseline + y, run.color, clip: cell) }
                cursor += run.text.count * BitmapFont.advance * scale
            }
        }
        return image
    }
}
