// SPDX-License-Identifier: Apache-2.0
extension WorkbookReader {
    /// Reads each cell style's number format: does it show a date (and a time), or a percentage.
    func loadStyles(_ data: [UInt8]) throws {
        var custom: [Int: String] = [:]
        try withScanner(data, part: "styles.xml") { sc in
            var inCellXfs = false
            while let ev = try sc.next() {
                switch ev {
                case .start(let tag) where tag.namespace.isSpreadsheet:
                    if sc.equals(tag.name, "numFmt"), let id = sc.attribute("numFmtId", in: tag).flatMap({ Int($0) }) {
                        custom[id] = sc.attribute("formatCode", in: tag) ?? ""
                    } else if sc.equals(tag.name, "cellXfs") {
                        inCellXfs = !tag.selfClosing
                    } else if inCellXfs && sc.equals(tag.name, "xf") {
                        let id = sc.attribute("numFmtId", in: tag).flatMap { Int($0) } ?? 0
                        stylePercents.append(NumberFormats.isPercent(id: id, code: custom[id]))
                        if let code = custom[id] {
                            styleDates.append(NumberFormats.customIsDate(code))
                        } else {
                            styleDates.append(NumberFormats.builtinIsDate(id))
                        }
                    }
                case .end(let name, let namespace):
                    if namespace.isSpreadsheet && sc.equals(name, "cellXfs") { inCellXfs = false }
                case .start, .text: break
                }
            }
        }
    }
}
