// SPDX-License-Identifier: Apache-2.0
extension ReportBuilder {
    /// One row per warning an accepted file was let through with, unit by unit.
    func quality(_ name: String, _ title: LocalizedText) -> ReportTable {
        let columns = [
            TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Mã đơn vị", mark: "B", width: 10, alignment: .center),
            TableColumn("Đơn vị báo cáo", mark: "C", width: 22), TableColumn("Trang tính", mark: "1", width: 16),
            TableColumn("Ô", mark: "2", width: 7, alignment: .center), TableColumn("Giá trị", mark: "3", width: 15),
            TableColumn("Nội dung cảnh báo", mark: "4", width: 60), TableColumn("Mã quy tắc", mark: "5", width: 22),
        ]
        var rows: [TableRow] = []
        for s in inputs.statuses {
            let warnings = (inputs.warnings[s.unit.code] ?? []).sorted {
                $0.sheet == $1.sheet ? Finding.cellOrder($0, $1) : ($0.sheet ?? "") < ($1.sheet ?? "")
            }
            for w in warnings {
                rows.append(TableRow([.number(Double(rows.count + 1), .integer), .text(s.unit.code), .text(s.unit.name),
                                      .text(w.sheet ?? ""), .text(w.cell ?? ""), Self.value(w), .text(w.message.vi), .text(w.rule)]))
            }
        }
        let units = Set(rows.compactMap { if case .text(let c) = $0.cells[1] { return c } else { return nil } }).count
        var notes = ["Cảnh báo không làm báo cáo bị trả lại; đề nghị đơn vị kiểm tra lại các ô trên và gửi bản sửa nếu số liệu chưa đúng."]
        notes.insert(rows.isEmpty ? "Các báo cáo đã chấp nhận không có cảnh báo nào."
                     : "\(rows.count) cảnh báo trong báo cáo của \(units) đơn vị.", at: 0)
        let outliers = acceptedOutliers().count
        if outliers > 0 {
            notes.insert("Trong đó \(outliers) số liệu bất thường (mã quy tắc outlier.…): nội dung cảnh báo ghi giá trị, khoảng thường gặp và "
                         + "mức chênh lệch; các tổng số của kỳ có bao gồm các số liệu này.", at: 1)
        }
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 3, notes: notes + inputs.notes)
    }

    /// A warning's value as the unit entered it: a number in its figure's format (managers sort
    /// and sum the column), text as text.
    static func value(_ w: Finding) -> ReportCell {
        if let n = w.number, let format = n.format { return .number(n.value, format) }
        return .text(w.value ?? "")
    }

    /// The outliers the units kept after being warned (rule `outlier.…`), by unit.
    private func acceptedOutliers() -> [(unit: ReportingUnit, finding: Finding)] {
        inputs.statuses.flatMap { s in (inputs.warnings[s.unit.code] ?? []).filter { $0.rule.hasPrefix("outlier.") }.map { (s.unit, $0) } }
    }

    /// A figure sheet's note when its totals include a value the checks found out of line.
    func outlierNote() -> [String] {
        let all = acceptedOutliers()
        guard !all.isEmpty else { return [] }
        let named = all.prefix(10).map { "\($0.unit.name) (\($0.unit.code)), \($0.finding.sheet ?? "") ô \($0.finding.cell ?? "–") = \($0.finding.value ?? "")" }
        let more = all.count > 10 ? "; và \(all.count - 10) số liệu khác" : ""
        return ["Các tổng số có bao gồm \(all.count) số liệu bất thường đã được chấp nhận (đơn vị đã được cảnh báo và giữ nguyên): "
                + named.joined(separator: "; ") + more + ". Chi tiết ở trang Chất lượng số liệu của báo cáo tình hình nộp báo cáo."]
    }
}
