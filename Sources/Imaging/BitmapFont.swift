/// A 5×7 pixel font for labels in digit grids: digits, an arrow and a few symbols. Unknown characters
/// draw as a hollow box so a missing glyph is visible rather than silently blank.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 7
    /// One blank column between glyphs.
    public static let advance = 6

    static let glyphs: [Character: [String]] = [
        "0": [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
        "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
        "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
        "→": [".....", "..#..", "...#.", "#####", "...#.", "..#..", "....."],
        ">": [".#...", "..#..", "...#.", "....#", "...#.", "..#..", ".#..."],
        "-": [".....", ".....", ".....", "#####", ".....", ".....", "....."],
        ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
        ":": [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."],
        "%": ["##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"],
        "#": [".#.#.", ".#.#.", "#####", ".#.#.", "#####", ".#.#.", ".#.#."],
        "?": [".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."],
        "/": [".....", "....#", "...#.", "..#..", ".#...", "#....", "....."],
        " ": [".....", ".....", ".....", ".....", ".....", ".....", "....."],
    ]

    static let missing = ["#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####"]

    /// Width in pixels of `text` at `scale` (no trailing gap).
    public static func width(of text: String, scale: Int) -> Int {
        text.isEmpty ? 0 : (text.count * advance - 1) * scale
    }

    /// Calls `plot(x, y)` for every lit pixel of `text` drawn at `scale` with its top-left at the origin.
    public static func render(_ text: String, scale: Int, plot: (Int, Int) -> Void) {
        for (index, character) in text.enumerated() {
            let rows = glyphs[character] ?? missing
            for (row, bits) in rows.enumerated() {
                for (column, bit) in bits.enumerated() where bit == "#" {
                    for dy in 0..<scale {
                        for dx in 0..<scale { plot((index * advance + column) * scale + dx, row * scale + dy) }
                    }
                }
            }
        }
    }
}
