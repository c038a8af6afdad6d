// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatConfig
import RuralStatCore
import RuralStatRender
import RuralStatStore
import RuralStatTesting
import Testing
@testable import RuralStatReading

/// A workbook read and checked, on real files our own writer made: what the daemon, `validate`
/// and `rebuild` all rest on.
@Suite("A workbook read and checked")
struct SubmissionReadingTests {
    /// 1 November 2025, after 2025-Q3 is over: its files are due.
    let at = Date(timeIntervalSince1970: 1_761_955_200)

    /// `unit`'s form for the workspace's quarter, filled with `content` (the demo's by default),
    /// written by `FormWorkbook` into the workspace.
    func form(_ ws: Workspace, _ unit: ReportingUnit, content: FormContent? = nil) throws -> String {
        let path = ws.root + "/bc-\(unit.code).xlsx"
        try FormWorkbook(schema: ws.definitions.schema).write(to: path, period: ws.period, unit: unit, content: content ?? ws.content(unit))
        return path
    }

    @Test func aValidFormIsAcceptedWithItsUnitPeriodAndSheets() throws {
        let ws = try Workspace()
        let unit = ws.units[0]
        let path = try form(ws, unit)
        let (result, sheets) = SubmissionReading.read(path: path, definitions: ws.definitions, province: ws.config.province)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message.en))")
        let data = try #require(result.submission)
        #expect(data.unitCode == unit.code && data.period == ws.period)
        #expect(result.unitCode == unit.code && result.period == ws.period)
        #expect(!data.facts.isEmpty)
        #expect(sheets.map(\.name) == ws.definitions.schema.sheets.map(\.name))
        // The daemon's check says the same of it, with the store's history (empty) and the day it came.
        let store = try SubmissionStore(path: ws.config.paths.database)
        let checked = SubmissionCheck(config: ws.config, definitions: ws.definitions, store: store).run(path: path, expectedUnit: unit.code, at: at)
        #expect(checked.result.errors.isEmpty, "\(checked.result.errors.map(\.message.en))")
        #expect(checked.result.submission.map { Set($0.facts) } == Set(data.facts))
    }

    /// A file that is not a zip (a CSV renamed, a note) is one finding, said in both languages.
    @Test func aFileThatIsNotAWorkbookIsOneFindingInBothLanguages() throws {
        let ws = try Workspace()
        let path = ws.root + "/ghi-chu.xlsx"
        try Data("mã đơn vị;số lao động\n11311;400\n".utf8).write(to: URL(fileURLWithPath: path))
        let store = try SubmissionStore(path: ws.config.paths.database)
        for (result, sheets) in [SubmissionReading.read(path: path, definitions: ws.definitions, province: ws.config.province),
                                 SubmissionCheck(config: ws.config, definitions: ws.definitions, store: store).run(path: path, expectedUnit: nil, at: at)] {
            #expect(sheets.isEmpty)
            #expect(result.submission == nil && result.unitCode == nil && result.period == nil)
            let finding = try #require(result.findings.first)
            #expect(result.findings.count == 1)
            #expect(finding.rule == "file.notAZip" && finding.severity == .error)
            #expect(finding.sheet == nil && finding.cell == nil)
            #expect(finding.message.vi.contains("không phải là bảng tính Excel .xlsx"), "\(finding.message.vi)")
            #expect(finding.message.en.contains("not an .xlsx workbook"), "\(finding.message.en)")
        }
    }

    /// A unit's own folder says whose file it is: a form whose cover names another unit is refused.
    @Test func anExpectedUnitThatDiffersFromTheCoverIsAnError() throws {
        let ws = try Workspace()
        let (unit, other) = (ws.units[0], ws.units[1])
        let path = try form(ws, unit)
        let result = SubmissionReading.read(path: path, definitions: ws.definitions, province: ws.config.province, expectedUnit: other.code).result
        let mismatch = try #require(result.errors.first { $0.rule == "cover.unit_mismatch" })
        #expect(result.errors.count == 1)
        #expect(result.submission == nil)
        #expect(mismatch.sheet == ws.definitions.schema.field(role: .unitCode)?.0.name)
        #expect(mismatch.value == unit.code)
        #expect(mismatch.message.vi.contains(other.code) && mismatch.message.en.contains(other.code))
        // Its own code (in any case) is no error.
        let own = SubmissionReading.read(path: path, definitions: ws.definitions, province: ws.config.province, expectedUnit: unit.code.lowercased()).result
        #expect(own.errors.isEmpty)
    }

    /// Text where a number belongs is an error at that cell, and the file is not taken.
    @Test func textInANumberCellIsAnErrorAtItsCell() throws {
        let ws = try Workspace()
        let unit = ws.units[3]
        let path = try form(ws, unit, content: ws.invalidContent(unit))
        let result = SubmissionReading.read(path: path, definitions: ws.definitions, province: ws.config.province).result
        #expect(result.submission == nil)
        #expect(result.errors.contains { $0.sheet == "Làng nghề" && $0.cell == "M6" && $0.value?.contains("khoảng 500") == true }, "\(result.errors)")
    }
}
