import CellModel
import Foundation

/// Where a table sheet's columns and rows really are in a submitted file. Clerks add title
/// blocks, merge two-row headers, move or insert columns and write notes under the table;
/// the layout is found by matching header text, so none of that breaks a file.
struct TableLayout {
    /// Zero-based header row (the lower one of a two-row header).
    var headerRow: Int
    var firstDataRow: Int
    /// Sheet column of each schema column id that was found.
    var columns: [String: Int]
    /// Schema columns whose header is nowhere to be seen.
    var missing: [ColumnSchema]

    /// Header text as compared: NFC, lower case, one space, no diacritics (đ → d), without a
    /// trailing unit in brackets or leading numbering such as "1." or "(3)".
    static func key(_ text: String) -> String {
        var s = TextMatching.key(text)
        if let open = s.lastIndex(of: "("), s.hasSuffix(")"), open != s.startIndex { s = String(s[..<open]) }
        s = s.replacingOccurrences(of: "đ", with: "d")
        s = s.folding(options: [.diacriticInsensitive], locale: nil)
        let trimmed = s.drop { $0.isNumber || $0 == "." || $0 == "(" || $0 == ")" || $0 == " " || $0 == "-" }
        return trimmed.isEmpty ? s.trimmingCharacters(in: .whitespaces) : String(trimmed).trimmingCharacters(in: .whitespaces)
    }

    /// The header names a column answers to, as keys: Vietnamese, English, aliases, and
    /// "Vietnamese / English" written in one cell.
    static func names(_ column: ColumnSchema) -> Set<String> {
        var out: Set<String> = [key(column.header.vi), key(column.header.en)]
        for alias in column.aliases { out.insert(key(alias)) }
        return out
    }

    /// The texts a sheet column offers as its header at `row`: the cell, the cell above
    /// (a group header, spread over its merged range), and the two combined.
    static func candidates(_ cells: SheetCells, row: Int, column: Int, merged: [CellAddress: String]) -> [String] {
        func text(_ r: Int) -> String? {
            guard r >= 0 else { return nil }
            let address = CellAddress(row: r, column: column)
            if let v = cells.cells[address], case .string(let s) = v { return s }
            return merged[address]
        }
        var out: [String] = []
        let lower = text(row), upper = text(row - 1)
        if let lower {
            out.append(lower)
            // "Tên làng nghề / Village name" or one language per line.
            out += lower.split(whereSeparator: { $0 == "/" || $0 == "\n" }).map(String.init)
        }
        if let upper, let lower { out += [upper + " " + lower, lower + " " + upper] }
        if lower == nil, let upper { out.append(upper) }
        return out.map(key)
    }

    /// Finds the layout of `sheet` in `cells`; nil when no row looks like its header.
    static func detect(_ sheet: SheetSchema, _ cells: SheetCells) -> TableLayout? {
        var merged: [CellAddress: String] = [:]
        for range in cells.mergedRanges {
            guard case .string(let s)? = cells.cells[range.lowerBound] else { continue }
            for r in range.lowerBound.row...range.upperBound.row {
                for c in range.lowerBound.column...range.upperBound.column { merged[CellAddress(row: r, column: c)] = s }
            }
        }
        let maxColumn = cells.cells.keys.map(\.column).max() ?? 0
        let headerNames = sheet.columns.map { ($0, Self.names($0)) }
        var best: (row: Int, columns: [String: Int])?
        for row in 0...min(max(cells.lastRow, 0), 30) {
            var found: [String: Int] = [:]
            var taken = Set<Int>()
            // Exact names first, then the same words in another order, one column each.
            for pass in 0..<2 {
                for c in 0...maxColumn where !taken.contains(c) {
                    let offered = candidates(cells, row: row, column: c, merged: merged)
                    guard !offered.isEmpty else { continue }
                    for (column, keys) in headerNames where found[column.spec.id] == nil {
                        let hit = pass == 0
                            ? offered.contains { keys.contains($0) }
                            : offered.contains { o in keys.contains { Set($0.split(separator: " ")) == Set(o.split(separator: " ")) } }
                        if hit {
                            found[column.spec.id] = c
                            taken.insert(c)
                            break
                        }
                    }
                }
            }
            if found.count > (best?.columns.count ?? 0) { best = (row, found) }
            if found.count == sheet.columns.count { break }
        }
        guard let best, best.columns.count * 2 >= sheet.columns.count else { return nil }
        // Data starts after the header and any rows that only repeat header words, units or
        // column numbers (the English row of our own form, "(1) (2) (3)" rows).
        var first = best.row + 1
        while first <= cells.lastRow, isSubHeader(cells, row: first, sheet: sheet, columns: best.columns) { first += 1 }
        return TableLayout(headerRow: best.row, firstDataRow: first, columns: best.columns,
                           missing: sheet.columns.filter { best.columns[$0.spec.id] == nil })
    }

    private static func isSubHeader(_ cells: SheetCells, row: Int, sheet: SheetSchema, columns: [String: Int]) -> Bool {
        let values = columns.values.compactMap { cells[row, $0] }
        guard !values.isEmpty else { return false }
        let headerWords = Set(sheet.columns.flatMap { names($0) })
        return values.allSatisfy { value in
            guard case .string(let s) = value else { return false }
            let k = key(s)
            return headerWords.contains(k) || k.isEmpty || s.trimmingCharacters(in: .whitespaces).hasPrefix("(")
                || sheet.columns.contains { c in c.spec.unit.map { key($0.vi) == k || key($0.en) == k } ?? false }
        }
    }
}
