/// A plain-text table for summaries: the first column left-aligned, the others right-aligned.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { TextTable.displayWidth($0[column]) }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - TextTable.displayWidth(cell))
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Terminal columns a string takes: East Asian wide characters (CJK, Hangul, full-width
    /// forms, most emoji) take two, combining marks none.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return width
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
                return width + 2
            default: return width + 1
            }
        }
    }
}
