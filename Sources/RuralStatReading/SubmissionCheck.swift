// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import CellModel
public import RuralStatCore
public import RuralStatConfig
public import RuralStatStore

/// A file checked as the daemon checks it: read, validated against the form, compared with the
/// store's history and with the periods open on the day it arrived. The daemon's pipeline and
/// `rebuild` both use this one, so both reach the same verdict for the same file and store.
public struct SubmissionCheck: Sendable {
    public let config: Configuration
    public let definitions: Definitions
    public let store: SubmissionStore
    /// The quarters' peers as the outlier checks see them, kept between files.
    public let peerCache: PeerCache

    public init(config: Configuration, definitions: Definitions, store: SubmissionStore, peerCache: PeerCache = PeerCache()) {
        self.config = config
        self.definitions = definitions
        self.store = store
        self.peerCache = peerCache
    }

    /// Reads and validates the workbook at `path` as received at `at`; a file that cannot be
    /// read becomes one finding. Also returns the form's sheets as read, for the feedback workbook.
    public func run(path: String, expectedUnit: String?, at: Date) -> (result: ValidationResult, sheets: [SheetCells]) {
        let history = StoreHistory(store: store, config: config, schema: definitions.schema, cache: peerCache)
        let (result, sheets) = SubmissionReading.read(path: path, definitions: definitions, province: config.province,
                                                      limits: config.limits, expectedUnit: expectedUnit,
                                                      window: (config.periodWindow, at), heldPeriod: { try? store.latestAcceptedPeriod() },
                                                      previous: history.previous, outliers: history.outliers)
        guard let older = olderVersion(result) else { return (result, sheets) }
        return (result.adding(older), sheets)
    }

    /// A file of a form with a version on its cover (a province's approved quarter) whose
    /// version is older than the one accepted for its unit and period: refused, so that a
    /// version that was overtaken on its way never replaces the newer one.
    public func olderVersion(_ result: ValidationResult) -> Finding? {
        guard let (sheet, field) = definitions.schema.field(role: .version), let data = result.submission,
              case .integer(let version)? = data.value(sheet: sheet.id, field: field.spec.id),
              let current = try? store.acceptedData(unit: data.unitCode, period: data.period),
              case .integer(let accepted)? = current.value(sheet: sheet.id, field: field.spec.id), version < accepted else { return nil }
        return Finding(.error, rule: "cover.version_older", sheet: sheet.name,
                       cell: CellAddress(row: field.row, column: field.column).a1, value: String(version), message: LocalizedText(
            vi: "Đây là lần gửi \(version) của báo cáo \(data.period.vietnameseTitle), nhưng lần gửi \(accepted) đã được tiếp nhận: bản cũ không thay thế bản mới. Nếu cần sửa, phê duyệt lại để gửi lần \(accepted + 1).",
            en: "This is version \(version) of the report for \(data.period), but version \(accepted) has been accepted: an older version does not replace a newer one. To correct it, approve again to send version \(accepted + 1)."))
    }
}
