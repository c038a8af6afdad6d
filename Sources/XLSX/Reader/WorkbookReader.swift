// SPDX-License-Identifier: Apache-2.0
/// Reads an .xlsx (or .xlsm) workbook: finds the parts through their relationships, loads the
/// shared strings and styles once, and reads worksheets cell by cell. Never runs macros,
/// never follows a part name onto the file system.
public final class WorkbookReader {
    let zip: ZipArchive
    let limits: ReadLimits
    public internal(set) var sheets: [SheetInfo] = []
    /// True when dates count from 1904 (old Mac Excel).
    public internal(set) var date1904 = false
    var sharedStrings: [String] = []
    /// Per cell style index: is it a date format, and does it show a time.
    var styleDates: [(isDate: Bool, hasTime: Bool)] = []
    /// Per cell style index: does it show a percentage.
    var stylePercents: [Bool] = []
    /// Cells read so far, of every sheet: `limits.maxCells` holds for the workbook.
    var cellsRead = 0

    public init(path: String, limits: ReadLimits = ReadLimits()) throws {
        self.limits = limits
        zip = try ZipArchive(path: path, limits: limits)
        try loadPackage()
    }
}
