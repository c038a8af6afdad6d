// SPDX-License-Identifier: Apache-2.0
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
    static func candidates(_ cells: SheetCells, row: Int, column: Int, merged: [CellAddress: String],
                           key: (String) -> String = Self.key) -> [String] {
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
        let lastHeaderRow = min(max(cells.lastRow, 0), 30)
        let maxColumn = cells.cells.keys.lazy.filter { $0.row <= lastHeaderRow }.map(\.column).max() ?? 0
        let headerNames = sheet.columns.map { ($0, Self.names($0)) }
        // The same texts (names, communes, units) recur on every row looked at: each is keyed once.
        var keyed: [String: String] = [:]
        func cachedKey(_ text: String) -> String {
            if let k = keyed[text] { return k }
            let k = key(text)
            keyed[text] = k
            return k
        }
        // Word order and repeats aside ("Số hộ" over "Tổng số" is "Tổng số hộ"): the distinct
        // words sorted, so that a set lookup settles it.
        var sortedWords: [String: String] = [:]
        func wordsKey(_ k: String) -> String {
            if let w = sortedWords[k] { return w }
            let w = Set(k.split(separator: " ")).sorted().joined(separator: " ")
            sortedWords[k] = w
            return w
        }
        let headerWordKeys = headerNames.map { Set($0.1.map(wordsKey)) }
        var best: (row: Int, columns: [String: Int])?
        for row in 0...lastHeaderRow {
            var found: [String: Int] = [:]
            var taken = Set<Int>()
            var offeredBy: [(column: Int, keys: [String])] = []
            for c in 0...maxColumn {
                let offered = candidates(cells, row: row, column: c, merged: merged, key: cachedKey)
                if !offered.isEmpty { offeredBy.append((c, offered)) }
            }
            // Exact names first, then the same words in another order, one column each.
            for pass in 0..<2 {
                for (c, offered) in offeredBy where !taken.contains(c) {
                    let tried = pass == 0 ? offered : offered.map(wordsKey)
                    for (i, (column, keys)) in headerNames.enumerated() where found[column.spec.id] == nil {
                        let names = pass == 0 ? keys : headerWordKeys[i]
                        let hit = tried.contains { names.contains($0) }
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
        let headerWordsAndUnits = Set(headerNames.flatMap(\.1)).union(sheet.columns.flatMap { c in
            c.spec.unit.map { [key($0.vi), key($0.en)] } ?? []
        })
        while first <= cells.lastRow,
              isSubHeader(cells, row: first, columns: best.columns, known: headerWordsAndUnits, key: cachedKey) { first += 1 }
        return TableLayout(headerRow: best.row, firstDataRow: first, columns: best.columns,
                           missing: sheet.columns.filter { best.columns[$0.spec.id] == nil })
    }

    /// A row whose every value in the table's columns is a header word, a unit, blank or "(n)".
    private static func isSubHeader(_ cells: SheetCells, row: Int, columns: [String: Int], known: Set<String>,
                                    key: (String) -> String) -> Bool {
        let values = columns.values.compactMap { cells[row, $0] }
        guard !values.isEmpty else { return false }
        return values.allSatisfy { value in
            guard case .string(let s) = value else { return false }
            let k = key(s)
            return known.contains(k) || k.isEmpty || s.trimmingCharacters(in: .whitespaces).hasPrefix("(")
        }
    }
}
