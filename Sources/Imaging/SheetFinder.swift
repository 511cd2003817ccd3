import ModelIO

/// Photos of a sheet often show the table around it. The border then is the table, and the "ink" found
/// against it is the whole sheet: one huge, nearly solid component. In that case the analysis is redone
/// inside the sheet, whose own edges are paper again.
enum SheetFinder {
    /// A component is a sheet rather than ink when it covers at least this share of the image…
    static let sheetArea = 0.2
    /// …and fills at least this share of its bounding box (strokes never do; the digit is only small holes).
    static let sheetFill = 0.8

    /// The ink map of `image`, or of the sheet inside it, with the offset of the map's origin in the image.
    static func inkMap(_ image: GrayImage, source: String, options: InkOptions) throws(ImagingError) -> (map: InkMap, offsetX: Int, offsetY: Int) {
        let map = try InkMap(image, source: source, options: options)
        guard let sheet = map.kept.max(by: { $0.area < $1.area }),
              Double(sheet.area) >= sheetArea * Double(image.width * image.height),
              Double(sheet.area) >= sheetFill * Double(sheet.box.width * sheet.box.height) else {
            return (map, 0, 0)
        }
        // Inset 2 % so the sheet's shaded edge isn't taken for ink.
        let insetX = max(1, sheet.box.width / 50), insetY = max(1, sheet.box.height / 50)
        let inner = PixelBox(minX: sheet.box.minX + insetX, minY: sheet.box.minY + insetY, maxX: sheet.box.maxX - insetX, maxY: sheet.box.maxY - insetY)
        guard inner.width >= 8, inner.height >= 8 else { return (map, 0, 0) }
        var pixels = [UInt8](repeating: 0, count: inner.width * inner.height)
        for y in inner.minY...inner.maxY {
            let from = y * image.width + inner.minX, to = (y - inner.minY) * inner.width
            for x in 0..<inner.width { pixels[to + x] = image.pixels[from + x] }
        }
        let cropped = GrayImage(width: inner.width, height: inner.height, pixels: pixels)
        return (try InkMap(cropped, source: source, options: options), inner.minX, inner.minY)
    }
}

extension PixelBox {
    func offsetBy(x: Int, y: Int) -> PixelBox {
        PixelBox(minX: minX + x, minY: minY + y, maxX: maxX + x, maxY: maxY + y)
    }
}
