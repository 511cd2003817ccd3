/// The decoder's documented conversion rules, restated independently for expected values.
enum ExpectedLuma {
    static func to8(_ value: UInt16, depth: Int) -> Int {
        let top = (1 << depth) - 1
        return (Int(value) * 255 + top / 2) / top
    }

    static func rgb(_ r: Int, _ g: Int, _ b: Int) -> Int { (299 * r + 587 * g + 114 * b + 500) / 1000 }

    static func grayOverWhite(_ gray: Int, alpha: Int) -> Int { (gray * alpha + 255 * (255 - alpha) + 127) / 255 }

    static func rgbOverWhite(_ r: Int, _ g: Int, _ b: Int, alpha: Int) -> Int {
        ((299 * r + 587 * g + 114 * b) * alpha + 255_000 * (255 - alpha) + 127_500) / 255_000
    }
}
