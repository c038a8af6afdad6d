// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The words of an outlier finding, Vietnamese and English: the figure, its value, how far it
/// is from what was expected and from where, and, for a value about 10ⁿ times off, what the
/// clerk most likely meant: "44.643.000 triệu đồng — có thể đã nhập theo đồng? Nếu vậy:
/// 44,643 triệu đồng".
public enum OutlierText {
    /// Numbers as a Vietnamese form writes them: `.` between thousands, `,` before decimals.
    /// `exact`: every decimal up to six (a value typed, or what was meant), else about four
    /// significant digits (a range).
    public static func vietnamese(_ v: Double, exact: Bool = false) -> String { format(v, group: ".", decimal: ",", exact: exact) }
    public static func english(_ v: Double, exact: Bool = false) -> String { format(v, group: ",", decimal: ".", exact: exact) }

    static func format(_ v: Double, group: String, decimal: String, exact: Bool) -> String {
        let f = NumberFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.numberStyle = .decimal
        f.groupingSeparator = group
        f.decimalSeparator = decimal
        f.usesGroupingSeparator = true
        // Enough digits to tell 44,643 from 44,6 and never a long tail.
        let magnitude = abs(v) >= 1 ? Int(log10(abs(v))) + 1 : 0
        f.maximumFractionDigits = exact ? 6 : max(0, min(6, 4 - magnitude))
        return f.string(from: NSNumber(value: v)) ?? "\(v)"
    }

    /// "gấp khoảng 1.000 lần" / "about 1,000 times".
    static func far(_ factor: Double) -> LocalizedText {
        func round2(_ x: Double) -> Double {
            guard x > 0 else { return x }
            let p = pow(10, floor(log10(x)) - 1)
            return (x / p).rounded() * p
        }
        if factor >= 1 {
            let f = round2(factor)
            return LocalizedText(vi: "gấp khoảng \(vietnamese(f)) lần", en: "about \(english(f)) times")
        }
        let f = round2(1 / factor)
        return LocalizedText(vi: "chỉ bằng khoảng 1/\(vietnamese(f))", en: "about 1/\(english(f))")
    }

    /// What a value 10ⁿ times off most likely was, in the figure's unit of measure.
    static func hint(_ n: Int, unit: LocalizedText?) -> LocalizedText {
        switch (unit?.vi, n) {
        case ("triệu đồng", 6): return LocalizedText(vi: "có thể đã nhập theo đồng?", en: "entered in đồng?")
        case ("triệu đồng", 3): return LocalizedText(vi: "có thể đã nhập theo nghìn đồng?", en: "entered in thousand đồng?")
        case ("triệu đồng", -3): return LocalizedText(vi: "có thể đã nhập theo tỷ đồng?", en: "entered in billion đồng?")
        case ("nghìn USD", 3): return LocalizedText(vi: "có thể đã nhập theo USD?", en: "entered in USD?")
        case ("nghìn USD", -3): return LocalizedText(vi: "có thể đã nhập theo triệu USD?", en: "entered in million USD?")
        case (_, let n) where n > 0:
            return LocalizedText(vi: "có thể thừa \(n) chữ số 0?", en: n == 1 ? "one zero too many?" : "\(n) zeros too many?")
        default:
            return LocalizedText(vi: "có thể thiếu \(-n) chữ số 0?", en: n == -1 ? "a zero missing?" : "\(-n) zeros missing?")
        }
    }

    /// The rule id of a hit: `outlier.zero` for a value fallen to 0, `outlier.magnitude` when it is about 10ⁿ times off, else
    /// `outlier.history` or `outlier.peers`.
    public static func rule(_ hit: OutlierCheck.Hit) -> String {
        if hit.judgement.fellToZeroFrom != nil || hit.judgement.zeroBeside != nil { return "outlier.zero" }
        return hit.judgement.magnitude != nil ? "outlier.magnitude" : hit.byPeers ? "outlier.peers" : "outlier.history"
    }

    /// The message of a hit (without its cell, which the validator puts in front).
    public static func message(_ hit: OutlierCheck.Hit, schema: FormSchema) -> LocalizedText {
        let (label, unit) = describe(hit.sheet, hit.field, row: hit.rowKey != nil, schema: schema)
        let u = LocalizedText(vi: unit.map { " " + $0.vi } ?? "", en: unit.map { " " + $0.en } ?? "")
        var subject = LocalizedText(vi: label.vi, en: label.en)
        if let key = hit.rowKey, let sheet = schema.sheet(hit.sheet), let keyColumn = sheet.columns.first(where: { column in
            schema.outliers?.figures.contains { $0.sheet == hit.sheet && $0.rowKey == column.spec.id } == true
                || schema.outliers?.ratios.contains { $0.numeratorSheet == hit.sheet && $0.rowKey == column.spec.id } == true
        }) {
            subject = LocalizedText(vi: "\(label.vi) (\(keyColumn.header.vi) \(key))", en: "\(label.en) (\(keyColumn.header.en) \(key))")
            if let former = hit.formerKey {
                subject = LocalizedText(vi: "\(label.vi) (\(keyColumn.header.vi) \(key), các quý trước ghi mã \(former))",
                                        en: "\(label.en) (\(keyColumn.header.en) \(key), \(former) in earlier quarters)")
            }
        }
        if let from = hit.judgement.fellToZeroFrom { return fellToZero(subject, from: from, hit.judgement, unit: u) }
        if let n = hit.judgement.zeroBeside, let ratio = hit.ratio { return zeroBeside(subject, n, ratio, schema: schema) }
        let j = hit.judgement
        let far = far(j.factor)
        var vi: String, en: String
        if let ratio = hit.ratio, let q = hit.ratioValue {
            // The ratio's own distance, whichever of its two cells is named.
            let far = OutlierText.far(hit.blamesDenominator ? 1 / j.factor : j.factor)
            vi = "\(subject.vi) = \(vietnamese(hit.value, exact: true))\(u.vi): \(ratio.label.vi) là \(vietnamese(q)), \(far.vi) mức của các đơn vị khác trong quý "
                + "(thường từ \(vietnamese(j.low)) đến \(vietnamese(j.high)))"
            en = "\(subject.en) = \(english(hit.value, exact: true))\(u.en): the \(ratio.label.en) is \(english(q)), \(far.en) that of the other units this quarter "
                + "(usually \(english(j.low)) to \(english(j.high)))"
        } else if j.afterZeros {
            vi = "\(subject.vi) = \(vietnamese(hit.value, exact: true))\(u.vi) sau các quý bằng 0, \(far.vi) mức của các đơn vị khác trong quý "
                + "(thường từ \(vietnamese(j.low)) đến \(vietnamese(j.high))\(u.vi))"
            en = "\(subject.en) = \(english(hit.value, exact: true))\(u.en) after quarters of 0, \(far.en) that of the other units this quarter "
                + "(usually \(english(j.low)) to \(english(j.high))\(u.en))"
        } else if hit.byPeers {
            vi = "\(subject.vi) = \(vietnamese(hit.value, exact: true))\(u.vi), \(far.vi) mức của các đơn vị khác trong quý "
                + "(thường từ \(vietnamese(j.low)) đến \(vietnamese(j.high))\(u.vi))"
            en = "\(subject.en) = \(english(hit.value, exact: true))\(u.en), \(far.en) that of the other units this quarter "
                + "(usually \(english(j.low)) to \(english(j.high))\(u.en))"
        } else {
            vi = "\(subject.vi) = \(vietnamese(hit.value, exact: true))\(u.vi), \(far.vi) các quý trước của đơn vị "
                + "(thường từ \(vietnamese(j.low)) đến \(vietnamese(j.high))\(u.vi))"
            en = "\(subject.en) = \(english(hit.value, exact: true))\(u.en), \(far.en) the unit's earlier quarters "
                + "(usually \(english(j.low)) to \(english(j.high))\(u.en))"
        }
        if let n = j.magnitude {
            let h = hint(n, unit: unit)
            let meant = hit.value / pow(10, Double(n))
            vi += " — \(h.vi) Nếu vậy: \(vietnamese(meant, exact: true))\(u.vi)."
            en += " — \(h.en) If so: \(english(meant, exact: true))\(u.en)."
        } else {
            vi += ". Kiểm tra lại số liệu; nếu đúng, ghi chú lý do khi gửi."
            en += ". Check the figure; if it is right, say why when you send it."
        }
        return LocalizedText(vi: vi, en: en)
    }

    /// A value fallen to 0 where the unit's recent quarters were far from zero.
    static func fellToZero(_ subject: LocalizedText, from: Double, _ j: OutlierJudgement, unit u: LocalizedText) -> LocalizedText {
        let when = j.zeroQuarters == 0 ? LocalizedText(vi: "ở quý trước", en: "last quarter")
            : LocalizedText(vi: "trước đó (\(j.zeroQuarters) quý gần nhất cũng bằng 0)",
                            en: j.zeroQuarters == 1 ? "before (the last quarter was 0 too)" : "before (the last \(j.zeroQuarters) quarters were 0 too)")
        return LocalizedText(
            vi: "\(subject.vi) = 0, giảm về 0 từ \(vietnamese(from, exact: true))\(u.vi) \(when.vi) "
                + "(các quý trước thường từ \(vietnamese(j.low)) đến \(vietnamese(j.high))\(u.vi)) — nếu nhập nhầm (ô bỏ trống, "
                + "nhập theo đơn vị lớn hơn), hãy ghi số đúng, khoảng \(vietnamese(from, exact: true))\(u.vi); "
                + "nếu đúng là 0, ghi chú lý do khi gửi.",
            en: "\(subject.en) = 0, fallen to 0 from \(english(from, exact: true))\(u.en) \(when.en) "
                + "(the earlier quarters usually \(english(j.low)) to \(english(j.high))\(u.en)) — if this is a slip (a cell left empty, "
                + "a larger unit), enter the figure meant, about \(english(from, exact: true))\(u.en); "
                + "if it really is 0, say why when you send it.")
    }

    /// A ratio's denominator of 0 beside a numerator above zero.
    static func zeroBeside(_ subject: LocalizedText, _ n: Double, _ ratio: OutlierRatio, schema: FormSchema) -> LocalizedText {
        let (label, unit) = describe(ratio.numeratorSheet, ratio.numeratorField, row: true, schema: schema)
        let u = LocalizedText(vi: unit.map { " " + $0.vi } ?? "", en: unit.map { " " + $0.en } ?? "")
        return LocalizedText(
            vi: "\(subject.vi) = 0 trong khi \(label.vi) = \(vietnamese(n, exact: true))\(u.vi): không thể có \(ratio.label.vi) — "
                + "nếu nhập nhầm (ô bỏ trống, nhập theo đơn vị lớn hơn), hãy ghi số đúng; nếu đúng là 0, ghi chú lý do khi gửi.",
            en: "\(subject.en) = 0 while \(label.en) = \(english(n, exact: true))\(u.en): there can be no \(ratio.label.en) — "
                + "if this is a slip (a cell left empty, a larger unit), enter the figure meant; if it really is 0, say why when you send it.")
    }

    /// A figure's label and unit of measure, from the schema.
    static func describe(_ sheet: String, _ field: String, row: Bool, schema: FormSchema) -> (LocalizedText, LocalizedText?) {
        guard let s = schema.sheet(sheet) else { return (LocalizedText(vi: field, en: field), nil) }
        if let c = s.columns.first(where: { $0.spec.id == field }) {
            return (row ? c.header : LocalizedText(vi: "Tổng cột \(c.header.vi)", en: "Total of column \(c.header.en)"), c.spec.unit)
        }
        if let r = s.rows.first(where: { $0.spec.id == field }) { return (r.label, r.spec.unit) }
        if let f = s.fields.first(where: { $0.spec.id == field }) { return (f.label, f.spec.unit) }
        return (LocalizedText(vi: field, en: field), nil)
    }
}
