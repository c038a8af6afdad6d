// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatCore
import RuralStatReading
import RuralStatRender
import RuralStatTesting
import Testing
@testable import RuralStatDemo

/// The demo province: Hải Phòng since 1 July 2025, and the district-level units before it.
@Suite("The demo province")
struct DemoProvinceTests {
    let province = DemoProvince.province

    @Test func hasTheCommunesOfHaiPhongInTwentySevenAreasWithUniqueCodes() {
        let communes = province.asOf(DemoProvince.reform).units
        #expect(communes.count == 114)
        #expect(Set(communes.map(\.code)).count == 114)
        #expect(Set(communes.compactMap(\.group)).count == 27)
        #expect(communes.allSatisfy { $0.group != nil && $0.from == DemoProvince.reform && $0.until == nil })
        // Before the reform: the 27 districts and towns, one per area, whose history is their area's.
        let districts = province.asOf(DemoProvince.reform.previous).units
        #expect(districts.count == 27)
        #expect(Set(districts.compactMap(\.group)) == Set(communes.compactMap(\.group)))
        #expect(Set(province.units.map { $0.code.uppercased() }).count == province.units.count)
        #expect(DemoProvince.successions.count == 27)
        #expect(Set(DemoProvince.successions.map(\.from)) == Set(districts.map(\.code)))
        #expect(DemoProvince.successions.allSatisfy { $0.level == .area })
    }

    /// A commune's generated figures, written into the form and read back, pass the checks; the
    /// same unit and quarter give the same figures every time.
    @Test(arguments: [0, 56, 113])
    func aUnitsGeneratedFormPassesValidation(commune: Int) throws {
        let ws = try Workspace()
        let unit = province.asOf(ws.period).units[commune]
        func read(_ name: String) throws -> ValidationResult {
            let path = ws.root + "/" + name
            try FormWorkbook(schema: ws.definitions.schema).write(to: path, period: ws.period, unit: unit,
                                                                  content: DemoProvince.content(unit: unit, period: ws.period))
            return SubmissionReading.validate(path: path, definitions: ws.definitions, province: ws.config.province)
        }
        let first = try read("a.xlsx"), again = try read("b.xlsx")
        #expect(first.errors.isEmpty, "\(unit.code): \(first.errors.map(\.message.en))")
        #expect(first.submission?.unitCode == unit.code && first.submission?.period == ws.period)
        #expect(first.submission.map { Set($0.facts) } == again.submission.map { Set($0.facts) })
    }
}
