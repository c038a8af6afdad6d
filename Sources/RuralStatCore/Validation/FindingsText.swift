// SPDX-License-Identifier: Apache-2.0
import CellModel

/// Findings as text a clerk reads: grouped by sheet, in cell order, in one language.
public enum FindingsText {
    public static func render(_ findings: [Finding], language: Language) -> String {
        var out: [String] = []
        var order: [String] = []
        var bySheet: [String: [Finding]] = [:]
        for f in findings {
            let key = f.sheet ?? ""
            if bySheet[key] == nil { order.append(key) }
            bySheet[key, default: []].append(f)
        }
        for sheet in order {
            let label = sheet.isEmpty ? (language == .vi ? "Toàn tệp" : "Whole file") : (language == .vi ? "Trang tính" : "Sheet") + " \"\(sheet)\""
            out.append(label)
            // Findings about the whole sheet first, then by row and column.
            let sorted = bySheet[sheet]!.sorted(by: Finding.cellOrder)
            for f in sorted {
                let tag = f.severity == .error ? (language == .vi ? "LỖI" : "ERROR") : (language == .vi ? "CẢNH BÁO" : "WARNING")
                out.append("  [\(tag)] \(f.message[language])  (\(f.rule))")
            }
        }
        return out.joined(separator: "\n")
    }
}
