// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import Testing
@testable import RuralStatCore

@Suite("The rule language")
struct RuleTests {
    let view = SubmissionView(facts: [
        Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(400)),
        Fact(sheet: "villages", row: 1, field: "labourers", value: .integer(250)),
        Fact(sheet: "villages", row: 1, field: "recognition", value: .code("CN")),
        Fact(sheet: "indicators", row: nil, field: "establishments", value: .integer(850)),
        Fact(sheet: "projects", row: 0, field: "approved_budget", value: .money(dong: 266_700_000)),
        Fact(sheet: "projects", row: 1, field: "approved_budget", value: .money(dong: 533_300_000)),
    ], schema: Fixtures.schema)

    static let cases: [(String, RuleValue)] = [
        ("1 + 2 * 3", .number(7)),
        ("(1 + 2) * 3", .number(9)),
        ("-4 + 10 / 4", .number(-1.5)),
        ("10 / 0", .null),
        ("labourers + 1", .number(401)),
        ("sum(villages.labourers)", .number(650)),
        ("sum(labourers)", .number(650)),
        ("count(villages)", .number(2)),
        ("count(villages.recognition)", .number(1)),
        ("sum(projects.approved_budget) == 800", .bool(true)),
        ("indicators.establishments > 800 and count(villages) == 2", .bool(true)),
        ("indicators.establishments < 800 or false", .bool(false)),
        ("not (labourers > 300)", .bool(false)),
        ("recognition in [\"CN\", \"TH\"]", .null),
        ("'cn' == \"CN\"", .bool(true)),
        ("present(recognition)", .bool(false)),
        ("blank(recognition)", .bool(true)),
        ("if(labourers > 300, \"lớn\", \"nhỏ\")", .text("lớn")),
        ("abs(-2.5) + min(3, 1, 2) + max(1, 4)", .number(7.5)),
        ("round(2 / 3, 2)", .number(0.67)),
        ("prev.indicators.establishments", .null),
        ("prev.indicators.establishments > 0", .null),
        ("null == 1", .null),
        ("false and prev.indicators.establishments > 0", .bool(false)),
        ("true or prev.indicators.establishments > 0", .bool(true)),
    ]

    @Test(arguments: cases)
    func evaluatesTotally(_ text: String, _ expected: RuleValue) throws {
        let scope = RuleScope(current: view, previous: nil, sheet: "villages", row: ["labourers": .integer(400)])
        #expect(scope.evaluate(try RuleExpression.parse(text)) == expected, "\(text)")
    }

    @Test(arguments: [
        ("1 +", 3, "ends too early"), ("a = b", 2, "use =="), ("sum(a, b)", 0, "takes 1"), ("frobnicate(1)", 0, "unknown function"),
        ("(1 + 2", 6, "expected ')'"), ("'open", 0, "not closed"), ("1 $ 2", 2, "unexpected character"), ("a.", 2, "expected a name"),
    ])
    func reportsWhereAnExpressionIsWrong(_ text: String, _ offset: Int, _ words: String) {
        do {
            _ = try RuleExpression.parse(text)
            Issue.record("\(text) parsed")
        } catch let e as ExpressionSyntaxError {
            #expect(e.offset == offset, "\(text): \(e)")
            #expect(e.message.contains(words), "\(text): \(e.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    /// The shipped schema with one rule's text replaced, to check load-time errors.
    func schemaWith(_ old: String, _ new: String) throws -> FormSchema {
        let path = Fixtures.repoRoot.appendingPathComponent("templates/quarterly-v1.yaml").path
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(yaml.contains(old))
        return try FormSchema.load(yaml: yaml.replacingOccurrences(of: old, with: new), file: "quarterly-v1.yaml")
    }

    @Test(arguments: [
        ("assert: trade_households <= households", "assert: trade_households <= housholds", "'housholds' is not a column of sheet 'villages'", 37),
        ("assert: trade_households <= households", "assert: trade_households <=", "ends too early", 36),
        ("assert: indicators.villages_total == count(villages)", "assert: indicators.villages_totl == count(villages)", "not an indicator", 13),
        ("assert: indicators.villages_total == count(villages)", "assert: villages.labourers > 0", "use sum(villages.labourers)", 13),
        ("assert: indicators.villages_total == count(villages)", "assert: bogus.x > 0", "there is no sheet 'bogus'", 13),
    ])
    func refusesABadRuleAtLoadTimeWithLineAndColumn(_ old: String, _ new: String, _ words: String, _ column: Int) throws {
        do {
            _ = try schemaWith(old, new)
            Issue.record("the schema loaded with \(new)")
        } catch let e as DefinitionError {
            #expect(e.message.contains(words), "\(e)")
            #expect(e.line != nil, "\(e)")
            #expect(e.column == column, "\(e)")
            let lines = try String(contentsOfFile: Fixtures.repoRoot.appendingPathComponent("templates/quarterly-v1.yaml").path, encoding: .utf8)
                .components(separatedBy: "\n")
            #expect(lines[e.line! - 1].contains(old), "line \(e.line!) is \(lines[e.line! - 1])")
        }
    }

    @Test func theVillageCountMustMatchTheVillageRows() {
        var ind = Fixtures.indicators
        ind["villages_total"] = .number(5)
        let result = Fixtures.validate(Fixtures.sheets(indicators: ind))
        let f = result.findings.first { $0.rule == "indicators.villages_match_sheet" }
        #expect(f?.cell == "E16")
        #expect(f?.sheet == "Chỉ tiêu")
        #expect(f?.severity == .error)
        #expect(f?.message.vi.contains("(5)") == true)
        #expect(f?.message.vi.contains("(2)") == true)
    }

    @Test func aBigChangeFromThePreviousQuarterIsAWarningAndTheFileIsAccepted() throws {
        let previous = try #require(Fixtures.validate(Fixtures.sheets(quarter: 2)).submission)
        var ind = Fixtures.indicators
        ind["establishments"] = .number(2_000)
        let result = SubmissionValidator(schema: Fixtures.schema, province: Fixtures.province)
            .validate(sheets: Fixtures.sheets(indicators: ind)) { unit, period in
                unit == "U01" && period == Period("2025-Q2") ? previous : nil
            }
        #expect(result.isValid)
        #expect(result.submission != nil)
        let w = try #require(result.warnings.first { $0.rule == "indicators.establishments_change" })
        #expect(w.cell == "E5")
        #expect(w.message.vi.contains("850 → 2000"))
        // Without a previous quarter the rule has nothing to compare and stays silent.
        #expect(Fixtures.validate(Fixtures.sheets(indicators: ind)).warnings.isEmpty)
    }

    @Test func aRecognisedVillageWithFewHouseholdsInTheTradeIsAWarning() {
        let result = Fixtures.validate(Fixtures.sheets(villages: [Fixtures.village("V1", households: 500, tradeHouseholds: 50)]))
        #expect(result.isValid)
        let w = result.warnings.first { $0.rule == "villages.recognition_share" }
        #expect(w?.cell == "I6")
        #expect(w?.message.vi.contains("50 trên 500 hộ") == true, "\(String(describing: w?.message.vi))")
    }

    /// Just under the threshold is said as counted, never as a percent rounded up to it.
    @Test func aShareJustUnderTheThresholdIsNotSaidAsTheThreshold() {
        let result = Fixtures.validate(Fixtures.sheets(villages: [Fixtures.village("V1", households: 2000, tradeHouseholds: 399)]))
        let w = result.warnings.first { $0.rule == "villages.recognition_share" }
        #expect(w?.message.vi.contains("399 trên 2000 hộ") == true, "\(String(describing: w?.message.vi))")
    }
}
