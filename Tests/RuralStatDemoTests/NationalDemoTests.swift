// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatConfig
import RuralStatCore
import RuralStatReading
import RuralStatRender
import RuralStatTesting
import Testing
@testable import RuralStatDemo

/// The ministry's demo: a province's generated approved quarter is a valid file of the
/// province-level form, and its totals hold together.
@Suite("The national demo")
struct NationalDemoTests {
    @Test(arguments: ["31", "01", "96"])
    func aProvincesGeneratedFileIsAValidProvinceLevelForm(code: String) throws {
        let definitions = try Definitions.load(schemaPath: Repository.root + "/templates/province-v1.yaml",
                                               reportsPath: Repository.root + "/reports")
        let country = NationalUnits.country
        let period = Period("2026-Q2")!
        let unit = try #require(country.asOf(period).units.first { $0.code == code })
        let content = NationalDemo.content(province: unit, period: period)
        let path = try temporaryFolder("national-demo") + "/\(code).xlsx"
        try FormWorkbook(schema: definitions.schema).write(to: path, period: period, unit: unit, content: content)
        let result = SubmissionReading.validate(path: path, definitions: definitions, province: country)
        #expect(result.errors.isEmpty, "\(code): \(result.errors.map { "\($0.cell ?? ""): \($0.message.en)" })")
        // Its provenance counts each commune's rows, and those are the tables' rows.
        let provenance = content.tables["provenance"] ?? []
        #expect(provenance.count == NationalDemo.communesPerProvince)
        let villages = provenance.reduce(0.0) { sum, row in
            if case .number(let n)? = row["villages"] { return sum + n }
            return sum
        }
        #expect(Int(villages) == content.tables["villages"]?.count)
    }

    @Test func theFormerProvincesAreTheirSuccessorsHistory() {
        let before = NationalUnits.country.asOf(Period("2025-Q2")!).units
        let after = NationalUnits.country.asOf(Period("2025-Q3")!).units
        #expect(before.count == 63 && after.count == 34)
        #expect(Set(after.compactMap(\.group)).count == 6)
        let successions = NationalUnits.successions
        #expect(Set(successions.map(\.from)) == Set(before.map(\.code)))
        #expect(successions.allSatisfy { s in after.contains { $0.code == s.to } })
    }
}
