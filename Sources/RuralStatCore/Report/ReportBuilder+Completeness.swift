// SPDX-License-Identifier: Apache-2.0
import Foundation

extension ReportBuilder {
    /// One row per unit, area by area when there are areas: its state, when its file counted,
    /// how late, how many files it sent and how many were refused.
    func completeness(_ name: String, _ title: LocalizedText) -> ReportTable {
        // With areas, the units are listed area by area under a heading; otherwise in one list.
        let areas = areaList
        let columns = [
            TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Mã đơn vị", mark: "B", width: 10, alignment: .center),
            TableColumn("Đơn vị báo cáo", mark: "C", width: 26),
            TableColumn("Tình trạng", mark: "1", width: 12, alignment: .center),
            TableColumn("Thời điểm nộp báo cáo được tính", mark: "2", width: 17, alignment: .center),
            TableColumn("Số ngày nộp muộn", unit: "ngày", mark: "3", width: 10, alignment: .number),
            TableColumn("Số tệp đã gửi", unit: "tệp", mark: "4", width: 9, alignment: .number),
            TableColumn("Trong đó bị trả lại", unit: "tệp", mark: "5", width: 10, alignment: .number),
            TableColumn("Ghi chú", mark: "6", width: 40),
        ]
        var rows: [TableRow] = []
        let blocks: [(String?, [UnitStatus])] = areas.isEmpty ? [(nil, inputs.statuses)]
            : areas.map { area in (area, inputs.statuses.filter { $0.unit.group == area }) }
        var n = 0
        for (a, (area, members)) in blocks.enumerated() {
          if !areas.isEmpty {
            let submitted = members.filter { $0.state == .accepted || $0.state == .late }.count
            rows.append(TableRow([.text(Self.roman(a + 1)), .text(Self.areaTitle(area) + ": \(submitted)/\(members.count) đơn vị đã nộp"), .text("")]
                                 + Array(repeating: .text(""), count: 6), emphasis: .section))
          }
          for s in members {
            n += 1
            var lateDays: Double?
            if s.state == .late, let at = s.receivedAt { lateDays = (at.timeIntervalSince(inputs.deadline) / 86_400).rounded(.up) }
            var remark = ""
            switch s.state {
            case .rejected: remark = "Tệp gần nhất có \(s.errors) lỗi: " + (s.lastReason ?? "")
            case .missing: remark = "Chưa gửi báo cáo"
            default: break
            }
            if s.held > 0 { remark += (remark.isEmpty ? "" : " ") + "\(s.held) tệp gửi sau khi khóa kỳ, chờ xem xét." }
            rows.append(TableRow([.number(Double(n), .integer), .text(s.unit.code), .text(s.unit.name)] + [
                .text(s.state.vietnamese), s.state == .accepted || s.state == .late ? s.receivedAt.map(ReportCell.moment) ?? .text("") : .text(""),
                .number(lateDays, .integer), .number(Double(s.files), .integer), .number(Double(s.refused), .integer), .text(remark),
            ]))
          }
        }
        let count = { (state: UnitState) in inputs.statuses.filter { $0.state == state }.count }
        rows.append(TableRow([.text("TỔNG CỘNG"), .text(""), .text("")]
                             + [.text("\(count(.accepted) + count(.late))/\(inputs.statuses.count) đã nộp"),
                              .text(""), .number(nil, .integer), .number(Double(inputs.statuses.map(\.files).reduce(0, +)), .integer),
                              .number(Double(inputs.statuses.map(\.refused).reduce(0, +)), .integer), .text("")], emphasis: .total))
        let notes = [
            "Hạn nộp báo cáo: hết ngày \(VietnamTime.lastDayText(before: inputs.deadline)) (giờ Việt Nam).",
            "Đúng hạn: \(count(.accepted)); nộp muộn: \(count(.late)); bị trả lại, chưa nộp lại: \(count(.rejected)); chưa nộp: \(count(.missing)).",
        ] + inputs.notes
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 3, notes: notes)
    }

    /// Per area: units expected, on time, late, refused, missing, the share submitted, and the
    /// units that still owe a valid file.
    func completenessByArea(_ name: String, _ title: LocalizedText) -> ReportTable {
        let columns = [
            TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Khu vực", mark: "B", width: 26),
            TableColumn("Số đơn vị phải nộp", unit: "đơn vị", mark: "1", width: 10, alignment: .number),
            TableColumn("Đúng hạn", unit: "đơn vị", mark: "2", width: 9, alignment: .number),
            TableColumn("Nộp muộn", unit: "đơn vị", mark: "3", width: 9, alignment: .number),
            TableColumn("Bị trả lại, chưa nộp lại", unit: "đơn vị", mark: "4", width: 11, alignment: .number),
            TableColumn("Chưa nộp", unit: "đơn vị", mark: "5", width: 9, alignment: .number),
            TableColumn("Tỷ lệ đã nộp", unit: "%", mark: "6 = (2+3)/1", width: 10, alignment: .number),
            TableColumn("Đơn vị còn nợ báo cáo hợp lệ", mark: "7", width: 48),
        ]
        func counts(_ members: [UnitStatus]) -> [ReportCell] {
            let c = { (state: UnitState) in Double(members.filter { $0.state == state }.count) }
            let share = members.isEmpty ? nil : (c(.accepted) + c(.late)) / Double(members.count) * 100
            return [.number(Double(members.count), .integer), .number(c(.accepted), .integer), .number(c(.late), .integer),
                    .number(c(.rejected), .integer), .number(c(.missing), .integer), .number(share, .percent)]
        }
        let areas: [String?] = areaList.isEmpty ? [nil] : areaList
        var rows: [TableRow] = []
        for (a, area) in areas.enumerated() {
            let members = inputs.statuses.filter { areaList.isEmpty || $0.unit.group == area }
            let owing = members.filter { $0.state == .missing || $0.state == .rejected }.map(\.unit.name)
            rows.append(TableRow([.number(Double(a + 1), .integer), .text(areaList.isEmpty ? inputs.province.whole.prefix(1).uppercased() + inputs.province.whole.dropFirst() : area ?? "Chưa xếp khu vực")]
                                 + counts(members) + [.text(owing.joined(separator: ", "))]))
        }
        rows.append(TableRow([.text("TỔNG CỘNG"), .text("")] + counts(inputs.statuses) + [.text("")], emphasis: .total))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 2,
                           notes: ["Hạn nộp báo cáo: hết ngày \(VietnamTime.lastDayText(before: inputs.deadline)) (giờ Việt Nam). Danh sách chi tiết theo từng đơn vị ở trang sau."] + inputs.notes)
    }
}
